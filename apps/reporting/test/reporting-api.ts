import { httpClient, type DevUser } from '@sangam/testing';

/** Reads the reporting service's HTTP API. */
export class ReportingApi {
  readonly get: (path: string) => Promise<{ status: number; body: any }>;

  constructor(url: string, as: DevUser = 'auditor1') {
    this.get = httpClient(url, as).get;
  }

  async ok(path: string): Promise<any> {
    const { status, body } = await this.get(path);
    if (status !== 200) throw new Error(`GET ${path} answered ${status}: ${JSON.stringify(body)}`);
    return body;
  }
}
