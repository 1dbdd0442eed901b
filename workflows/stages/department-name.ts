import { departmentName } from '../activities';
import { changed } from '../changes';

/** Suggestions assigned before the timeline named the department replay as they were recorded. */
export const departmentNamePatch = 'timeline-names-assigned-department';

/**
 * The lead department's name as it stands at the assignment. The timeline keeps whom the
 * suggestion went to in words the proposer and the public read, and keeps it when departments
 * are later renamed or merged (机构改革), which a code looked up afterwards would not.
 */
export async function assignedDepartmentName(code: string): Promise<string | undefined> {
  if (!changed(departmentNamePatch)) return undefined;
  return departmentName(code);
}
