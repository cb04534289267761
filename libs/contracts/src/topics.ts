/** The topics of the published language: each service publishes its integration events to its own. */
export const Topics = {
  groups: 'sangam.groups.events',
  lending: 'sangam.lending.events',
  bankLinkage: 'sangam.bank-linkage.events',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];
