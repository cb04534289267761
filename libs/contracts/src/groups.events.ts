// Integration events of the groups service: filled in by its issue.
export {};
