// Integration events of the lending service: filled in by its issue.
export {};
