import type { ChecklistInput } from '../schema';

// Closing an incident: a blameless written review with a timeline, the impact, the root cause
// and action items that each have an owner and a date, reviewed and shared.
export const postmortem: ChecklistInput = {
  id: 'postmortem',
  title: 'Postmortem',
  description: 'A blameless postmortem: timeline, impact, root cause and action items with owners and dates, reviewed with the people involved and shared.',
  sections: [
    {
      id: 'document',
      title: 'The document',
      items: [
        {
          id: 'sections-present',
          text: 'Each postmortem has the sections the team requires (`postmortems.requiredSections`: summary, impact, timeline, root cause and action items by default, in the team\'s language).',
          why: 'Blameless postmortems record the timeline, the impact, the root cause analysis and the action items that prevent recurrence.',
          practice: 'postmortems',
          // The rule reads the configured section names, so a team writing in German or Spanish
          // is checked against its own headings.
          evidence: { rules: ['postmortem/section-missing'] },
        },
        {
          id: 'blameless',
          text: 'The wording is blameless: systems and processes, not people (`postmortems.blamePhrases`).',
          why: 'People who fear blame hide what happened; the review is about the system.',
          practice: 'postmortems',
          evidence: { rules: ['postmortem/blame-language'] },
        },
        {
          id: 'action-items-owned',
          text: 'Every action item has an owner and a due date or ticket.',
          why: 'An action item nobody owns does not prevent the next incident.',
          practice: 'postmortems',
          evidence: { rules: ['postmortem/action-item-owner-missing'] },
        },
        {
          id: 'detection-resolution-times',
          text: 'Time to detect and time to resolve are recorded.',
          why: 'MTTR is how the team measures its incident response.',
          practice: 'incident-response',
          manual: true,
        },
      ],
    },
    {
      id: 'follow-up',
      title: 'Review and follow-up',
      items: [
        {
          id: 'reviewed',
          text: 'The postmortem was reviewed with the people involved within a week of the incident.',
          why: 'The review turns a document into shared understanding while memories are fresh.',
          practice: 'postmortems',
          manual: true,
        },
        {
          id: 'action-items-tracked',
          text: 'Action items are tickets in the team\'s tracker, prioritised against feature work.',
          why: 'Follow-up that lives only in the document is forgotten.',
          practice: 'postmortems',
          manual: true,
        },
        {
          id: 'runbooks-alerts-fixed',
          text: 'Runbooks and alerts the incident showed to be wrong or missing are fixed, or have an action item.',
          why: 'Runbooks are maintained for alerts; an incident is the best test they get.',
          practice: 'runbook-maintenance',
          manual: true,
        },
        {
          id: 'shared',
          text: 'The postmortem is shared beyond the team.',
          why: 'Other teams learn from an incident only if they can read about it.',
          practice: 'postmortems',
          manual: true,
        },
      ],
    },
  ],
};
