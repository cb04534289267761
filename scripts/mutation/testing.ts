/**
 * What the domain's unit specs take from @sangam/testing, without the rest of its index (NestJS,
 * pg, the services' bootstrap), which would be loaded into every spec once per mutant.
 */
export { deciderSpec } from '../../libs/testing/src/decider-spec';
export { envelopeOf } from '../../libs/testing/src/event-publisher';
