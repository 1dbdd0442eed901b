import { departmentName } from '../../../workflows/activities';

// The same change as workflows/stages/department-name.ts without its patched() guard: what the
// replay check must refuse, since suggestions assigned before it never looked the name up.

export async function assignedDepartmentName(code: string): Promise<string | undefined> {
  return departmentName(code);
}
