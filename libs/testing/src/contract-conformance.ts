import type { EventContract, JsonSchema } from '@sangam/contracts';

const FORMATS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  date: /^\d{4}-\d{2}-\d{2}$/,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/,
};

const typeOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isSafeInteger(value) ? 'integer' : typeof value;

/** Where `value` breaks `schema`: the subset of JSON Schema the contracts use. */
function violations(schema: JsonSchema, value: unknown, path: string): string[] {
  if (schema.oneOf) return schema.oneOf.some((option) => violations(option, value, path).length === 0) ? [] : [`${path} matches no option`];
  const types = schema.type === undefined ? [] : ([] as string[]).concat(schema.type);
  const actual = typeOf(value);
  if (types.length > 0 && !types.includes(actual) && !(actual === 'integer' && types.includes('number'))) return [`${path} is ${actual}`];
  const problems: string[] = [];
  if (typeof value === 'string' && schema.format && FORMATS[schema.format] && !FORMATS[schema.format].test(value))
    problems.push(`${path} is not a ${schema.format}`);
  if (schema.enum && !schema.enum.includes(value as string)) problems.push(`${path} = ${String(value)} is not allowed`);
  if (typeof value === 'number' && ((schema.minimum ?? -Infinity) > value || (schema.maximum ?? Infinity) < value))
    problems.push(`${path} out of range`);
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => problems.push(...violations(schema.items!, item, `${path}[${i}]`)));
  if (actual === 'object' && schema.properties) {
    const record = value as Record<string, unknown>;
    problems.push(...(schema.required ?? []).filter((key) => !(key in record)).map((key) => `${path}.${key} is missing`));
    if (schema.additionalProperties === false)
      problems.push(
        ...Object.keys(record)
          .filter((key) => !(key in schema.properties!))
          .map((key) => `${path}.${key} is undocumented`),
      );
    for (const [key, inner] of Object.entries(schema.properties))
      if (key in record) problems.push(...violations(inner, record[key], `${path}.${key}`));
  }
  return problems;
}

/** What in these events' data disagrees with the documented contracts of their types (a service's `xxxEventContracts`). */
export function contractViolations(events: readonly { type: string; data: unknown }[], contracts: readonly EventContract[]): string[] {
  return events.flatMap((event) => {
    const contract = contracts.find((c) => c.type === event.type);
    return contract ? violations(contract.data, event.data, event.type) : [`${event.type} is not documented`];
  });
}
