export const KAFKA = Symbol('KAFKA');
export const KAFKA_PRODUCER = Symbol('KAFKA_PRODUCER');
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
