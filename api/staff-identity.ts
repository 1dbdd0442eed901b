import type { StaffRole } from '../domain/vocabulary';

/** Who a request comes from once its API key or token is checked (auth.ts); kept on the request. */
export interface StaffIdentity {
  keyId: string;
  label: string;
  role: StaffRole;
  departmentCode?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    staff?: StaffIdentity;
  }
}
