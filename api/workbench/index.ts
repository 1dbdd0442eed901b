import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { ApiContext } from '../context';
import { maxAttachmentBytes, maxAttachments } from '../../domain/attachments';
import { isMultipart, readMultipart } from '../multipart';
import type { PendingSignIn } from '../oidc-client';
import { ApiRefusal, SignInAgain, WorkbenchApi } from './api';
import { deskOf, type Desk } from './desk';
import { html, langOf, link, page, sendPage, words, type Lang, type Viewer } from './frame';
import { departmentPages } from './pages/department';
import { officePages } from './pages/office';
import { suggestionPages } from './pages/suggestion';
import { supervisorPages } from './pages/supervisor';
import { profilePages } from './pages/profile';

// The staff workbench (/staff/): the screens departments, the collection office and supervisors
// work in every day, server-rendered HTML with no script. Sign-in is the city's identity provider
// (OpenID Connect, api/oidc-client.ts) with a server-side session (api/staff-sessions.ts); every
// page reads and acts through the API with the signed-in person's token (./api.ts).

const signInCookie = 'staff_sign_in';
const signInPurpose = 'workbench-sign-in';

export function workbench(ctx: ApiContext): Router {
  const router = Router();
  const sessions = ctx.staffSessions;
  if (!sessions) {
    router.use('/staff', (req, res) => {
      const w = words(langOf(req));
      sendPage(
        res,
        page({
          lang: langOf(req),
          title: w('工作台未启用', 'Workbench not configured'),
          path: req.path,
          body: html`<p>${w('工作台需要接入统一身份认证：请设置 OIDC_ISSUER、OIDC_CLIENT_ID 和 OIDC_CLIENT_SECRET（见 README）。', 'The workbench signs staff in through the identity provider: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (see the README).')}</p>`,
        }),
        { status: 503 },
      );
    });
    return router;
  }
  const publicUrl = new URL(sessions.oidc.settings.publicUrl);
  const providerOrigin = new URL(sessions.oidc.settings.issuer).origin;
  const formBody = express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 500 });

  // One address for the workbench: its cookie must be the one the Temporal UI's codec requests carry.
  router.use('/staff', (req, res, next) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && req.get('host') !== publicUrl.host)
      return res.redirect(302, `${publicUrl.origin}${req.originalUrl}`);
    next();
  });
  // Express matches /staff/ here too: only the bare path is sent on to the one with the slash.
  router.get('/staff', (req, res, next) => (req.path === '/staff' ? res.redirect(302, link(langOf(req), '/staff/')) : next()));

  router.get('/staff/sign-in', async (req, res, next) => {
    try {
      const lang = langOf(req);
      const returnTo = safeReturn(req.query.returnTo) ?? link(lang, '/staff/');
      const { url, pending } = await sessions.oidc.startSignIn(returnTo, lang);
      res.cookie(signInCookie, sessions.sealValue(signInPurpose, pending), {
        httpOnly: true,
        sameSite: 'lax',
        secure: sessions.secure,
        path: '/staff/callback',
        maxAge: 10 * 60_000,
      });
      res.redirect(303, url.href);
    } catch (err) {
      next(err);
    }
  });

  router.get('/staff/callback', async (req, res, next) => {
    const lang = langOf(req);
    const w = words(lang);
    const pending = sessions.openValue<PendingSignIn>(signInPurpose, cookieOf(req, signInCookie));
    res.clearCookie(signInCookie, { httpOnly: true, sameSite: 'lax', secure: sessions.secure, path: '/staff/callback' });
    const again = html`<p><a href="${link(lang, '/staff/sign-in')}">${w('重新登录', 'Sign in again')}</a></p>`;
    if (!pending)
      return sendPage(
        res,
        page({
          lang,
          title: w('登录已过期', 'Sign-in expired'),
          path: '/staff/',
          body: html`<p class="alert" role="alert">${w('这次登录未完成或已超过 10 分钟。', 'This sign-in was not finished, or took longer than ten minutes.')}</p>${again}`,
        }),
        { status: 400 },
      );
    try {
      const tokens = await sessions.oidc.finishSignIn(new URL(req.originalUrl, publicUrl.origin), pending);
      const session = await sessions.start(res, tokens);
      if (!session)
        return sendPage(
          res,
          page({
            lang,
            title: w('没有工作台权限', 'No access to the workbench'),
            path: '/staff/',
            body: html`<p class="alert" role="alert">${w('您的账号没有工作人员角色（role），请联系管理员。', 'Your account has no staff role: ask an administrator.')}</p>`,
          }),
          { status: 403 },
        );
      res.redirect(303, pending.returnTo);
    } catch (err) {
      if (err instanceof Error && /state|nonce|code|grant|response/i.test(err.message)) {
        return sendPage(
          res,
          page({
            lang,
            title: w('登录失败', 'Sign-in failed'),
            path: '/staff/',
            body: html`<p class="alert" role="alert">${w('身份认证未能完成：', 'The identity provider did not complete the sign-in: ')}${err.message}</p>${again}`,
          }),
          { status: 400 },
        );
      }
      next(err);
    }
  });

  router.get('/staff/signed-out', (req, res) => {
    const lang = langOf(req);
    const w = words(lang);
    sendPage(
      res,
      page({
        lang,
        title: w('已退出', 'Signed out'),
        path: '/staff/signed-out',
        body: html`<p>${w('您已退出工作台。', 'You are signed out of the workbench.')}</p><p><a href="${link(lang, '/staff/sign-in')}">${w('登录', 'Sign in')}</a></p>`,
      }),
    );
  });

  // Every other page needs a session; a form also its anti-forgery token, from this site.
  router.use('/staff', formBody, async (req, res, next) => {
    try {
      const session = await sessions.fromRequest(req);
      const lang = langOf(req);
      if (!session) {
        if (req.method === 'GET') return res.redirect(303, link(lang, '/staff/sign-in', { returnTo: req.originalUrl }));
        return signInPage(res, lang, 401);
      }
      // A form with files (a department's evidence), read only once the session is known.
      if (req.method === 'POST' && isMultipart(req)) {
        const form = await readMultipart(req, { files: maxAttachments, fileBytes: maxAttachmentBytes, fields: 60, fieldBytes: 64 * 1024 });
        req.body = Object.fromEntries(Object.entries(form.fields).map(([name, values]) => [name, values.length === 1 ? values[0] : values]));
        res.locals.files = form.files;
      }
      if (req.method === 'POST' && (!sentFromThisSite(req) || !sessions.checkCsrf(session, req.body?._csrf))) {
        const w = words(lang);
        return sendPage(
          res,
          page({
            lang,
            title: w('表单已失效', 'Form expired'),
            path: '/staff/',
            body: html`<p class="alert" role="alert">${w('该表单已失效或不是从工作台提交的，请返回重新提交。', 'This form has expired or was not sent from the workbench: go back and send it again.')}</p>`,
          }),
          { status: 403 },
        );
      }
      res.locals.formTargets = [providerOrigin];
      const viewer: Viewer = { label: session.label, role: session.role, departmentCode: session.departmentCode, csrf: sessions.csrfToken(session) };
      res.locals.desk = { lang, viewer, session, api: new WorkbenchApi(sessions, session, apiUrl(ctx, req)), profile: ctx.profile!.current } satisfies Desk;
      next();
    } catch (err) {
      next(err);
    }
  });

  router.post('/staff/sign-out', async (req, res, next) => {
    try {
      const idToken = await sessions.end(req, res);
      const out = await sessions.oidc.signOutUrl(idToken);
      res.redirect(303, out?.href ?? link(langOf(req), '/staff/signed-out'));
    } catch (err) {
      next(err);
    }
  });

  router.get('/staff/', (req, res) => {
    const { lang, viewer } = deskOf(res);
    const home: Record<string, string> = { department: '/staff/inbox', office: '/staff/triage', supervisor: '/staff/overdue', admin: '/staff/dashboard' };
    if (home[viewer.role]) return res.redirect(303, link(lang, home[viewer.role]));
    const w = words(lang);
    sendPage(
      res,
      page({
        lang,
        title: w('工作台', 'Workbench'),
        path: '/staff/',
        viewer,
        body: html`<p>${w('受理人员通过 API 或热线导入登记建议；工作台暂无受理页面。', 'Intake staff register suggestions through the API or the hotline import; the workbench has no intake screens yet.')}</p>`,
      }),
    );
  });

  router.use(departmentPages(), suggestionPages(), officePages(), supervisorPages(), profilePages());
  router.use('/staff', workbenchErrors(providerOrigin));
  return router;
}

/** The API this workbench calls: WORKBENCH_API_URL, else this very server on the loopback. */
function apiUrl(ctx: ApiContext, req: Request): string {
  return ctx.workbenchApiUrl ?? `http://127.0.0.1:${req.socket.localPort}`;
}

function signInPage(res: Response, lang: Lang, status: number): void {
  const w = words(lang);
  sendPage(
    res,
    page({
      lang,
      title: w('请登录', 'Please sign in'),
      path: '/staff/',
      body: html`<p class="alert" role="alert">${w('登录已过期，请重新登录。您填写的内容没有保存，请在登录后重新提交。', 'Your sign-in has ended. What you typed was not saved: sign in and send it again.')}</p><p><a href="${link(lang, '/staff/sign-in')}">${w('登录', 'Sign in')}</a></p>`,
    }),
    { status },
  );
}

function workbenchErrors(providerOrigin: string): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const lang = langOf(req);
    const w = words(lang);
    if (err instanceof SignInAgain) {
      if (req.method === 'GET') return res.redirect(303, link(lang, '/staff/sign-in', { returnTo: req.originalUrl }));
      return signInPage(res, lang, 401);
    }
    const desk = res.locals.desk as Desk | undefined;
    if (err instanceof ApiRefusal) {
      const title = err.status === 404 ? w('未找到', 'Not found') : err.status === 403 ? w('无权查看', 'Not allowed') : w('出错了', 'Something went wrong');
      return sendPage(
        res,
        page({
          lang,
          title,
          path: '/staff/',
          viewer: desk?.viewer,
          body: html`<p class="alert" role="alert">${err.problem.title ?? ''}: ${err.problem.detail ?? ''}</p><p><a href="${link(lang, '/staff/')}">${w('返回工作台', 'Back to the workbench')}</a></p>`,
        }),
        { status: err.status, formTargets: [providerOrigin] },
      );
    }
    next(err);
  };
}

/** A browser says where a form comes from; one from another site is refused. */
function sentFromThisSite(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site) return site === 'same-origin';
  const from = req.get('origin') ?? req.get('referer');
  if (!from) return true;
  try {
    return new URL(from).host === req.get('host');
  } catch {
    return false;
  }
}

function safeReturn(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/staff\/[^\\\s]*$/.test(value) && !value.startsWith('//') ? value : undefined;
}

function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
