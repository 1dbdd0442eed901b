// workflows/stages/department-name.ts as it was before the timeline named the assigned
// department: no look-up, no patch. The deploy test bundles the workflows with this module in its
// place to run the code that was deployed before.

export async function assignedDepartmentName(_code: string): Promise<string | undefined> {
  return undefined;
}
