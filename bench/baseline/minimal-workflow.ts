// The baseline: the least a workflow can be. What our service costs is measured against it.
export async function minimalWorkflow(_input: unknown): Promise<void> {}
