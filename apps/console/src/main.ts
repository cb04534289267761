import { loadConsoleConfig } from './console-config';
import { createConsoleServer } from './console-server';

/** `npm start` runs this from dist/: the web console on CONSOLE_PORT (default 3000). */
const config = loadConsoleConfig();
const server = createConsoleServer(config).listen(config.port, config.host, () => {
  console.log(JSON.stringify({ level: 30, time: Date.now(), service: 'console', msg: `console on http://${config.host}:${config.port}` }));
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
