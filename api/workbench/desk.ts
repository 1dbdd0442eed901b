import type { Response } from 'express';
import type { CityProfile } from '../../domain/profile';
import type { StaffSession } from '../staff-sessions';
import type { WorkbenchApi } from './api';
import { page, sendPage, type Lang, type Viewer } from './frame';

/** What every workbench page has to hand once the session is checked (index.ts puts it on the response). */
export interface Desk {
  lang: Lang;
  viewer: Viewer;
  api: WorkbenchApi;
  session: StaffSession;
  /** The city's profile (districts, streets, categories): the one the API serves at GET /v1/profile, from the same store. */
  profile: CityProfile;
}

export function deskOf(res: Response): Desk {
  return res.locals.desk as Desk;
}

/** Sends a page of the signed-in person's desk; its sign-out form may lead to the identity provider. */
export function sendDeskPage(res: Response, desk: Desk, frame: Omit<Parameters<typeof page>[0], 'lang' | 'viewer'>, status = 200): void {
  sendPage(res, page({ ...frame, lang: desk.lang, viewer: desk.viewer }), { status, formTargets: res.locals.formTargets as string[] | undefined });
}
