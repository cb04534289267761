/** The local Postgres that `npm start` and the tests use when DATABASE_URL is unset. Imports nothing, so that Jest's global set-up can load it. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432';
