import type { StaffRole } from '../domain/vocabulary';

/** Who a request comes from once its API key or token is checked (auth.ts); kept on the request. */
export interface StaffIdentity {
  keyId: string;
  label: string;
  role: StaffRole;
  departmentCode?: string;
  /** Where an office, supervisor or intake desk works: `city` (or absent), a district's code, a street's nine digits. */
  jurisdiction?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    staff?: StaffIdentity;
  }
}
