/**
 * Why an action on a suggestion was refused. The workflow's update validators throw these as
 * failure types; the API turns each into its HTTP status.
 */
export const refusals = {
  /** Not issued by the suggestion service for this suggestion (workflows/issued-for.ts). */
  Unauthenticated: 403,
  WrongDepartment: 403,
  WrongState: 409,
  InvalidAction: 422,
} as const;
export type Refusal = keyof typeof refusals;
