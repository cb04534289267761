import { ConfigurationError, loadServiceConfig } from '@sangam/platform';

describe('service configuration', () => {
  it('uses the contract ports and local defaults', () => {
    const config = loadServiceConfig('bank-linkage', {});
    expect(config).toMatchObject({ port: 3003, databaseName: 'sangam_bank_linkage', kafkaBrokers: ['127.0.0.1:9092'], kafkaPartitions: 6 });
  });

  it('takes the service port variable before PORT', () => {
    expect(loadServiceConfig('groups', { GROUPS_PORT: '4001', PORT: '5000' }).port).toBe(4001);
    expect(loadServiceConfig('lending', { PORT: '5000' }).port).toBe(5000);
  });

  it('fails fast with every bad variable named', () => {
    const load = () => loadServiceConfig('reporting', { REPORTING_PORT: 'abc', KAFKA_BROKERS: 'nohost', DATABASE_URL: 'mysql://x' });
    expect(load).toThrow(ConfigurationError);
    expect(load).toThrow(/REPORTING_PORT[\s\S]*DATABASE_URL[\s\S]*KAFKA_BROKERS/);
  });

  it('lets the web console on this machine call the API from the browser, or the origins given', () => {
    expect(loadServiceConfig('groups', {}).corsOrigins).toEqual(['http://127.0.0.1:3000', 'http://localhost:3000']);
    expect(loadServiceConfig('groups', { CONSOLE_PORT: '4414' }).corsOrigins).toEqual(['http://127.0.0.1:4414', 'http://localhost:4414']);
    expect(loadServiceConfig('groups', { CORS_ORIGINS: 'https://console.example.org,http://10.0.0.5:3000' }).corsOrigins).toEqual([
      'https://console.example.org',
      'http://10.0.0.5:3000',
    ]);
    expect(() => loadServiceConfig('groups', { CORS_ORIGINS: 'https://console.example.org/path' })).toThrow(/CORS_ORIGINS must be origins/);
  });

  it('accepts business dates from 1980-01-01 to 7 days after today unless told otherwise', () => {
    expect(loadServiceConfig('groups', {}).businessDates).toEqual({ earliest: '1980-01-01', futureDays: 7 });
    expect(loadServiceConfig('groups', { BUSINESS_DATE_MIN: '1975-04-01', BUSINESS_DATE_FUTURE_DAYS: '0' }).businessDates).toEqual({
      earliest: '1975-04-01',
      futureDays: 0,
    });
  });

  it.each([
    ['BUSINESS_DATE_MIN', '0000-01-01'],
    ['BUSINESS_DATE_MIN', '0999-12-31'],
    ['BUSINESS_DATE_MIN', '1980-02-30'],
    ['BUSINESS_DATE_MIN', '1980'],
    ['BUSINESS_DATE_MIN', `${new Date().getUTCFullYear() + 1}-01-01`],
    ['BUSINESS_DATE_FUTURE_DAYS', '-1'],
    ['BUSINESS_DATE_FUTURE_DAYS', '367'],
    ['BUSINESS_DATE_FUTURE_DAYS', '1.5'],
    ['BUSINESS_DATE_FUTURE_DAYS', 'week'],
  ])('refuses to start with %s=%s', (name, value) => {
    expect(() => loadServiceConfig('lending', { [name]: value })).toThrow(new RegExp(name));
  });

  it('serves the API docs outside production, in production only with API_DOCS=on', () => {
    expect(loadServiceConfig('groups', {}).apiDocs).toBe(true);
    expect(loadServiceConfig('groups', { NODE_ENV: 'development' }).apiDocs).toBe(true);
    expect(loadServiceConfig('groups', { NODE_ENV: 'production' }).apiDocs).toBe(false);
    expect(loadServiceConfig('groups', { NODE_ENV: 'production', API_DOCS: 'on' }).apiDocs).toBe(true);
    expect(loadServiceConfig('groups', { API_DOCS: 'off' }).apiDocs).toBe(false);
    expect(() => loadServiceConfig('groups', { API_DOCS: 'yes' })).toThrow(/API_DOCS must be on or off/);
  });
});
