import type { CalendarYear } from '../../domain/calendar/calendar-years';
import type { MovedDeadline } from '../deadlines';
import { notices } from '../notices';
import type { Suggestion } from '../suggestion';

// A deadline reaching a year the State Council has not published yet is counted on the forecast
// of the national holiday rules (provisional). When the official schedule is loaded, every open
// suggestion is given it (workflows/calendar-year-workflow.ts) and counts its deadlines again: the
// timeline records each that moved, an escalation for a deadline that has not in fact passed yet
// is withdrawn, and one that has now passed is escalated by its stage, as any passed deadline is.

/** The names of the deadlines, as the timeline and the notices give them. */
const called: Record<string, string> = {
  triage: 'routing',
  response: 'answer',
  returnable: 'return',
  'co-opinion': 'co-handling opinion',
  rating: 'rating',
  rehandling: 're-handling',
  'follow-up-answer': 'follow-up answer',
};
const nameOf = (name: string) => called[name] ?? name.replace(/^milestone-grace:/, 'grace of milestone ').replace(/^milestone:/, 'milestone ');

export function takeOfficialCalendar(suggestion: Suggestion, year: CalendarYear): void {
  const moved = suggestion.deadlines.publish(year);
  if (moved.length === 0) return;
  for (const m of moved) suggestion.record('deadline_corrected', 'system', { deadline: m.name, from: m.from, to: m.to, year: year.year, source: year.source });
  withdrawEscalations(suggestion, moved, year.year);
  const described = moved.map((m) => ({ ...m, name: nameOf(m.name) }));
  const recipients = new Set(['supervisors', ...(suggestion.leadDepartment ? [`department:${suggestion.leadDepartment}`] : [])]);
  suggestion.notify(...[...recipients].map((r) => notices.deadlineCorrected(suggestion, r, described, year.year)));
}

/** An escalation (or a milestone's reminder) for a deadline the official calendar puts in the future is undone. */
function withdrawEscalations(suggestion: Suggestion, moved: MovedDeadline[], year: number): void {
  const now = Date.now();
  const h = suggestion.handling;
  const satisfaction = suggestion.feedback.satisfaction;
  for (const m of moved) {
    if (Date.parse(m.to) <= now) continue;
    const withdraw = (what: string) => {
      suggestion.record('escalation_withdrawn', 'system', {
        deadline: m.name,
        dueAt: m.to,
        reason: `the official holiday schedule of ${year} moves the deadline to ${m.to}`,
      });
      suggestion.notify(notices.escalationWithdrawn(suggestion, what, m.to, year));
    };
    if ((m.name === 'triage' || m.name === 'response') && h.escalatedFor === m.from) {
      h.escalatedFor = undefined;
      withdraw(nameOf(m.name));
    } else if (m.name === 'rehandling' && satisfaction.rehandling?.escalatedAt) {
      satisfaction.rehandling.escalatedAt = undefined;
      withdraw(nameOf(m.name));
    } else if (m.name === 'follow-up-answer') {
      const check = suggestion.feedback.implementation?.followUp;
      if (check?.escalatedAt) {
        check.escalatedAt = undefined;
        suggestion.lateFollowUpReported = false;
        withdraw(nameOf(m.name));
      }
    } else if (m.name.startsWith('milestone')) {
      const id = m.name.split(':')[1];
      const milestone = suggestion.feedback.implementation?.milestones.find((x) => x.id === id);
      if (!milestone) continue;
      if (m.name.startsWith('milestone:') && milestone.remindedAt) {
        const escalated = milestone.escalatedAt !== undefined;
        delete milestone.remindedAt;
        delete milestone.escalatesAt;
        delete milestone.escalatedAt;
        suggestion.deadlines.settle(`milestone-grace:${id}`);
        if (escalated) withdraw(nameOf(m.name));
      } else if (m.name.startsWith('milestone-grace:') && milestone.escalatedAt) {
        delete milestone.escalatedAt;
        withdraw(nameOf(m.name));
      }
    }
  }
}
