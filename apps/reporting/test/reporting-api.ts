/** Reads the reporting service's HTTP API. */
export class ReportingApi {
  constructor(private readonly url: string) {}

  async get(path: string): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.url}${path}`);
    return { status: response.status, body: await response.json() };
  }

  async ok(path: string): Promise<any> {
    const { status, body } = await this.get(path);
    if (status !== 200) throw new Error(`GET ${path} answered ${status}: ${JSON.stringify(body)}`);
    return body;
  }
}
