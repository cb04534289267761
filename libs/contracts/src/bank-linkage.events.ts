// Integration events of the bank-linkage service: filled in by its issue.
export {};
