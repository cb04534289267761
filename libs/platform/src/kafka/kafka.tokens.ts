export const KAFKA = Symbol('KAFKA');
export const KAFKA_PRODUCER = Symbol('KAFKA_PRODUCER');
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
/** The service's EventPublication (topic and published language) when it has an event store. */
export const EVENT_PUBLICATION = Symbol('EVENT_PUBLICATION');
