import { localActivitiesPatch } from '../../workflows/activities';
import { leanLifecyclePatch } from '../../workflows/alarm';
import { changesGatheredPatch, gatheredChanges } from '../../workflows/changes';
import { changedAttributesPatch } from '../../workflows/publish';
import { departmentNamePatch } from '../../workflows/stages/department-name';
import { handlingLookupsPatch } from '../../workflows/stages/handling-lookups';
import { followUpSweptPatch } from '../../workflows/stages/implementation';

// The one patch new suggestions record stands for exactly the changes made before it: each by
// the id its own guard asks for, so a run that gathered them answers every guard the same way.

test('the gathered patch stands for every change guarded before it, by the ids their guards use', () => {
  const guards = [localActivitiesPatch, changedAttributesPatch, departmentNamePatch, leanLifecyclePatch, followUpSweptPatch, handlingLookupsPatch];
  expect([...gatheredChanges].sort()).toEqual([...guards].sort());
  expect(gatheredChanges).not.toContain(changesGatheredPatch);
});
