import { Router } from 'express';
import { field, hidden, input, emptyForm, errorSummary, formStart } from '../forms';
import { formBox, formPage } from '../form-page';
import { html, when } from '../frame';

// The administrator's desk for the city profile (城市配置): the categories with their names, added,
// renamed, retired or brought back (PUT /v1/profile/categories/{code}); the districts with their
// streets as the profile holds them; and the audit of every change. Retiring never deletes: past
// suggestions keep their category and its name.

interface Category {
  code: string;
  name: string;
  nameEn: string;
  retired?: boolean;
}
interface District {
  code: string;
  name: string;
  nameEn: string;
  retired?: boolean;
  streets: { code: string; retired?: boolean }[];
}
interface Change {
  id: number;
  path: string;
  changedBy: { label: string };
  changedAt: string;
}

export function profilePages(): Router {
  const router = Router();
  formPage(
    router,
    '/staff/profile',
    'profile',
    ['城市配置', 'City profile'],
    async (desk, w, state) => {
      const lang = desk.lang;
      const [{ profile, version }, changes] = await Promise.all([
        desk.api.get<{ version: number; profile: { city: { name: string; nameEn: string }; categories: Category[]; districts: District[] } }>('/v1/profile'),
        desk.api.get<{ items: Change[] }>('/v1/profile/changes?limit=20'),
      ]);
      const s = state.category ?? emptyForm();
      const status = (retired?: boolean) => (retired ? w('已停用', 'Retired') : w('在用', 'In use'));
      return html`<p>${w(`${profile.city.name}的城市配置，第 ${version} 版。停用的类别不再接受新建议，已有建议保留原类别及名称。`, `${profile.city.nameEn}'s profile, version ${version}. A retired category takes no new suggestions; those that have it keep it and its name.`)}</p>
<h2>${w('类别', 'Categories')}</h2>
<table id="categories"><thead><tr><th scope="col">${w('代码', 'Code')}</th><th scope="col">${w('中文名称', 'Name')}</th><th scope="col">${w('英文名称', 'English name')}</th><th scope="col">${w('状态', 'Status')}</th><th scope="col" class="noprint">${w('操作', 'Change')}</th></tr></thead><tbody>
${profile.categories.map(
  (c) => html`<tr><td><code>${c.code}</code></td><td>${c.name}</td><td>${c.nameEn}</td><td>${status(c.retired)}</td>
<td class="noprint">${formStart(lang, `/staff/profile/switch-${c.code}`, desk.viewer.csrf)}${hidden('name', c.name)}${hidden('nameEn', c.nameEn)}${hidden('retired', c.retired ? 'no' : 'yes')}<button type="submit" class="secondary">${c.retired ? w(`恢复 ${c.name}`, `Bring back ${c.nameEn}`) : w(`停用 ${c.name}`, `Retire ${c.nameEn}`)}</button></form></td></tr>`,
)}
</tbody></table>
${Object.entries(state)
  .filter(([k]) => k.startsWith('switch-'))
  .map(([, st]) => errorSummary(w, st))}
${formBox(
  desk,
  w,
  'category',
  w('新增或更名类别', 'Add or rename a category'),
  '/staff/profile/category',
  s,
  html`<div class="row">
<div>${input({ name: 'code', label: w('代码（小写字母、数字、_ 或 -）', 'Code (lower-case letters, digits, _ or -)'), state: s, required: true })}</div>
<div>${input({ name: 'name', label: w('中文名称', 'Name'), state: s, required: true })}</div>
<div>${input({ name: 'nameEn', label: w('英文名称', 'English name'), state: s, required: true })}</div>
</div>`,
  w('保存类别', 'Save the category'),
)}
<h2>${w('区', 'Districts')}</h2>
<table id="districts"><thead><tr><th scope="col">${w('代码', 'Code')}</th><th scope="col">${w('名称', 'Name')}</th><th scope="col" class="num">${w('街镇', 'Streets and towns')}</th><th scope="col">${w('状态', 'Status')}</th></tr></thead><tbody>
${profile.districts.map((d) => html`<tr><td><code>${d.code}</code></td><td>${lang === 'zh' ? d.name : d.nameEn}</td><td class="num">${d.streets.filter((x) => !x.retired).length}</td><td>${status(d.retired)}</td></tr>`)}
</tbody></table>
<p class="muted">${w('区和街镇的增改经 PUT /v1/profile/districts/{code}。', 'Districts and their streets are changed through PUT /v1/profile/districts/{code}.')}</p>
<h2>${w('变更记录', 'Changes')}</h2>
<table id="changes"><thead><tr><th scope="col">#</th><th scope="col">${w('内容', 'What')}</th><th scope="col">${w('操作人', 'By')}</th><th scope="col">${w('时间', 'When')}</th></tr></thead><tbody>
${changes.items.map((c) => html`<tr><td class="num">${c.id}</td><td><code>${c.path}</code></td><td>${c.changedBy.label}</td><td>${when(c.changedAt)}</td></tr>`)}
</tbody></table>`;
    },
    {
      category: (v) => ({
        method: 'PUT',
        path: `/v1/profile/categories/${encodeURIComponent(field(v, 'code') ?? '')}`,
        body: { name: field(v, 'name'), nameEn: field(v, 'nameEn'), retired: false },
      }),
    },
    (name) => {
      const code = /^switch-([a-z][a-z0-9_-]{1,63})$/.exec(name)?.[1];
      return code
        ? (v) => ({
            method: 'PUT',
            path: `/v1/profile/categories/${code}`,
            body: { name: field(v, 'name'), nameEn: field(v, 'nameEn'), retired: field(v, 'retired') === 'yes' },
          })
        : undefined;
    },
  );
  return router;
}
