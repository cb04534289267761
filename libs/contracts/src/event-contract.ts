/**
 * The published language between services: every integration event's type, topic and the JSON
 * Schema of its `data`. The AsyncAPI document is generated from these definitions.
 */
export interface JsonSchema {
  type?: 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'null' | Array<'string' | 'null' | 'integer' | 'object'>;
  description?: string;
  format?: string;
  enum?: readonly (string | number)[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  items?: JsonSchema;
  additionalProperties?: boolean;
  oneOf?: JsonSchema[];
}

export interface EventContract {
  type: string;
  topic: string;
  description: string;
  data: JsonSchema;
}

export const Schema = {
  uuid: (description?: string): JsonSchema => ({ type: 'string', format: 'uuid', description }),
  paise: (description?: string): JsonSchema => ({ type: 'integer', minimum: 0, description: description ?? 'Amount in paise' }),
  date: (description?: string): JsonSchema => ({ type: 'string', format: 'date', description }),
  timestamp: (description?: string): JsonSchema => ({ type: 'string', format: 'date-time', description }),
  text: (description?: string): JsonSchema => ({ type: 'string', description }),
  integer: (description?: string): JsonSchema => ({ type: 'integer', description }),
  oneOf: (values: readonly string[], description?: string): JsonSchema => ({ type: 'string', enum: values, description }),
  nullable: (schema: JsonSchema): JsonSchema => ({ oneOf: [schema, { type: 'null' }] }),
  array: (items: JsonSchema, description?: string): JsonSchema => ({ type: 'array', items, description }),
  /** Every listed property is required unless its name ends with '?'. */
  object: (properties: Record<string, JsonSchema>, description?: string): JsonSchema => {
    const entries = Object.entries(properties).map(([name, schema]) => [name.replace(/\?$/, ''), schema, !name.endsWith('?')] as const);
    return {
      type: 'object',
      description,
      properties: Object.fromEntries(entries.map(([name, schema]) => [name, schema])),
      required: entries.filter(([, , required]) => required).map(([name]) => name),
      additionalProperties: false,
    };
  },
};
