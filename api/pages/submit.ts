import { randomBytes } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { z } from 'zod';
import { submitSuggestionSchema } from '../../domain/intake';
import type { CityProfile } from '../../domain/profile';
import { withProfile } from '../../domain/profile-codes';
import type { ApiContext } from '../context';
import { databaseRetryAfterSeconds, databaseUnavailable, Problem } from '../problem';
import { takeIn } from '../intake';
import { isMultipart } from '../multipart';
import { objectStoreRetryAfterSeconds } from '../attachments';
import { filesField, placeFields, placeOf, receiveForm, w, type KeptFile } from './attachment-fields';
import { checkbox, errorSummary, hidden, radios, select, textArea, textField, type FieldErrors } from './forms';
import { label, langOf, t, webReplyChannels, type Lang, type MessageKey } from './i18n';
import { href, html, layout, sendPage, siteOf, type Page } from './layout';
import { receiptPage, replyDeadline, statusUrl } from './receipt';
import { defaultSimilaritySettings, similarOnBoard, type BoardMatch } from '../similarity';

// The web channel's form (网上征集), for a suggestion of the citizen's own or one answering a
// campaign. The form is taken in by the same intake as POST /v1/suggestions: the same schema,
// the same campaign window, the same workflow and tracking token. What is wrong comes back into
// the form with everything the citizen typed still there.

type Campaign = { id: string; title: string; topics: string[] };
type FormValues = Record<string, string>;

/** Where each intake field is on the form, and what to tell the citizen when it is wrong. */
const fieldOf: Record<string, [field: string, message: MessageKey]> = {
  title: ['title', 'errTitle'],
  content: ['content', 'errContent'],
  category: ['category', 'errCategory'],
  district: ['district', 'errDistrict'],
  'proposer.name': ['name', 'errName'],
  'proposer.phone': ['phone', 'errPhone'],
  'proposer.email': ['email', 'errEmail'],
  'proposer.replyChannel': ['replyChannel', 'errReplyChannel'],
  'proposer.address': ['address', 'errOther'],
  'place.address': ['placeAddress', 'errOther'],
  'place.street': ['street', 'errOther'],
  'place.coordinates': ['lat', 'errOther'],
  'place.coordinates.lat': ['lat', 'errOther'],
  'place.coordinates.lng': ['lat', 'errOther'],
  campaignTopic: ['topic', 'errTopic'],
};

/** A key per rendered form: sent again (a double click, a reload), it registers the suggestion once. */
const formKeyPattern = /^[A-Za-z0-9_-]{16,64}$/;
const newFormKey = () => randomBytes(16).toString('base64url');

export function submitPage(ctx: ApiContext, reads: RequestHandler, writes: RequestHandler[]): Router {
  const router = Router();
  const now = () => ctx.now?.() ?? new Date();

  /** The campaign named, if it is taking suggestions now; otherwise the form is the general one. */
  async function openCampaign(id: unknown): Promise<Campaign | null | undefined> {
    if (typeof id !== 'string' || id === '') return undefined;
    const row =
      id.length <= 64
        ? await ctx.db.campaign.findUnique({ where: { id }, select: { id: true, title: true, topics: true, status: true, opensAt: true, closesAt: true } })
        : null;
    const at = now().getTime();
    if (!row || !['scheduled', 'open'].includes(row.status) || row.opensAt.getTime() > at || row.closesAt.getTime() <= at) return null;
    return row;
  }

  router.get('/submit', reads, async (req, res) => {
    const lang = langOf(req);
    const campaign = await openCampaign(req.query.campaign);
    const general = campaign === null ? t(lang, 'errCampaign') : undefined;
    sendPage(res, form(ctx.profile!.current, lang, campaign ?? undefined, { formKey: newFormKey(), replyChannel: 'online' }, {}, general), { personal: true });
  });

  router.post('/submit', ...writes, async (req, res) => {
    const lang = langOf(req);
    const profile = ctx.profile!.current;
    // With files the form comes as multipart: each file is checked and stored as it is read.
    const received = isMultipart(req)
      ? await receiveForm(ctx, req, lang)
      : { values: formValues(req.body), kept: [] as KeptFile[], fileErrors: [] as string[], storeDown: false };
    const { values, kept, fileErrors } = received;
    const form = (l: Lang, c: Campaign | undefined, v: FormValues, errors: FieldErrors, general?: string, similar?: BoardMatch[]) =>
      formPage(profile, l, c, v, errors, general, kept, fileErrors, similar);
    const campaign = await openCampaign(values.campaign);
    if (campaign === null) return sendPage(res, form(lang, undefined, values, {}, t(lang, 'errCampaign')), { status: 409, personal: true });
    if (received.storeDown) {
      res.setHeader('Retry-After', String(objectStoreRetryAfterSeconds));
      return sendPage(res, form(lang, campaign, values, {}, w(lang, 'storeDown')), { status: 503, personal: true });
    }
    // Before sending: the published outcomes like what was typed, with the form as it was (nothing is registered).
    if (values.action === 'similar') {
      const text = `${values.title ?? ''} ${values.content ?? ''}`.trim();
      const district = values.district && profile.codes('district').includes(values.district) ? values.district : undefined;
      const category = values.category && profile.codes('category').includes(values.category) ? values.category : undefined;
      const matches = text ? await similarOnBoard(ctx.db, ctx.similarity ?? defaultSimilaritySettings, { text, district, category }, 5) : [];
      return sendPage(res, form(lang, campaign, values, {}, undefined, matches), { personal: true });
    }

    const parsed = withProfile(profile, () => submitSuggestionSchema.safeParse(intakeOf(values, campaign, kept)));
    if (!parsed.success || fileErrors.length) {
      const { errors, general } = parsed.success ? { errors: {} as FieldErrors, general: undefined } : fieldErrors(lang, parsed.error);
      return sendPage(res, form(lang, campaign, values, fileErrors.length ? { ...errors, files: fileErrors.join('; ') } : errors, general), {
        status: fileErrors.length && parsed.success ? 422 : 400,
        personal: true,
      });
    }
    try {
      const key = formKeyPattern.test(values.formKey ?? '') ? values.formKey : undefined;
      const receipt = await takeIn(ctx, parsed.data, undefined, key).catch((err: unknown) => {
        // The same form sent again with other words is a new suggestion, not a retry of the first.
        if (err instanceof Problem && err.type === 'idempotency-key-reused') return takeIn(ctx, parsed.data, undefined, newFormKey());
        throw err;
      });
      const replyBy = await replyDeadline(ctx, { ...parsed.data, receivedAt: receipt.receivedAt });
      const facts = { trackingNumber: receipt.trackingNumber, token: receipt.trackingToken, title: parsed.data.title, receivedAt: receipt.receivedAt, replyBy };
      sendPage(res, receiptPage(lang, facts, siteOf(res).help, statusUrl(req, lang)), { personal: true });
    } catch (err) {
      // The database briefly out of reach: the form comes back as typed, to be sent again.
      if (databaseUnavailable(err) || (err instanceof Problem && err.status === 503)) {
        res.setHeader('Retry-After', String(databaseRetryAfterSeconds));
        return sendPage(res, form(lang, campaign, values, {}, t(lang, 'unavailable')), { status: 503, personal: true });
      }
      if (!(err instanceof Problem) || err.status >= 500 || err.status === 429) throw err;
      const errors: FieldErrors = err.type === 'unknown-campaign-topic' ? { topic: t(lang, 'errTopic') } : {};
      const general =
        err.type.startsWith('campaign-') || err.type === 'unknown-campaign'
          ? t(lang, 'errCampaign')
          : errors.topic
            ? undefined
            : `${t(lang, 'errOther')}: ${err.detail}`;
      sendPage(res, form(lang, campaign, values, errors, general), { status: err.status, personal: true });
    }
  });

  return router;
}

function formValues(body: unknown): FormValues {
  const values: FormValues = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) if (typeof v === 'string') values[k] = v;
  return values;
}

/** The form as the JSON API's intake body; empty fields are left out, so the schema's defaults and messages apply. */
function intakeOf(v: FormValues, campaign: Campaign | undefined, kept: KeptFile[] = []): z.input<typeof submitSuggestionSchema> {
  const given = (name: string) => (v[name]?.trim() ? v[name] : undefined);
  return {
    title: v.title ?? '',
    content: v.content ?? '',
    category: given('category') as z.input<typeof submitSuggestionSchema>['category'],
    district: given('district') as z.input<typeof submitSuggestionSchema>['district'],
    channel: campaign ? 'campaign' : 'web',
    proposer: {
      name: given('name'),
      phone: given('phone'),
      email: given('email')?.trim(),
      address: given('address'),
      replyChannel: (given('replyChannel') ?? 'online') as (typeof webReplyChannels)[number],
    },
    publishConsent: v.consent === 'yes',
    ...(placeOf(v) ? { place: placeOf(v) as z.input<typeof submitSuggestionSchema>['place'] } : {}),
    ...(kept.length ? { attachments: kept.map((k) => k.id) } : {}),
    ...(campaign ? { campaignId: campaign.id, campaignTopic: given('topic') } : {}),
  };
}

function fieldErrors(lang: Lang, error: z.ZodError): { errors: FieldErrors; general?: string } {
  const errors: FieldErrors = {};
  let general: string | undefined;
  for (const issue of error.issues) {
    const known = fieldOf[issue.path.join('.')];
    if (known) errors[known[0]] ??= t(lang, known[1]);
    else general ??= `${t(lang, 'errOther')}: ${issue.path.join('.')} ${issue.message}`;
  }
  return { errors, general };
}

/** The published outcomes like the draft, shown before the form when the citizen asked for them. */
function similarList(lang: Lang, matches: BoardMatch[] | undefined, profile: CityProfile) {
  if (matches === undefined) return '';
  if (matches.length === 0)
    return html`<section class="notice" aria-labelledby="similar-heading"><h2 id="similar-heading">${t(lang, 'similarHeading')}</h2><p>${t(lang, 'similarNone')}</p></section>`;
  return html`<section class="notice" aria-labelledby="similar-heading"><h2 id="similar-heading">${t(lang, 'similarHeading')}</h2><p>${t(lang, 'similarIntro')}</p>
<ul>${matches.map((m) => html`<li><strong>${m.title}</strong> (${label.outcome(lang, m.outcome)}, ${label.district(lang, m.district, profile)})${m.summary ? html`: ${m.summary}` : ''}</li>`)}</ul></section>`;
}

function form(profile: CityProfile, lang: Lang, campaign: Campaign | undefined, v: FormValues, errors: FieldErrors, general?: string): Page {
  return formPage(profile, lang, campaign, v, errors, general, [], []);
}

function formPage(
  profile: CityProfile,
  lang: Lang,
  campaign: Campaign | undefined,
  v: FormValues,
  errors: FieldErrors,
  general: string | undefined,
  kept: KeptFile[],
  fileErrors: string[],
  similar?: BoardMatch[],
): Page {
  const title = campaign ? t(lang, 'submitCampaignTitle', { title: campaign.title }) : t(lang, 'submitTitle');
  const body = html`<p>${t(lang, 'submitIntro')}</p>
${errorSummary(lang, errors, general)}
${similarList(lang, similar, profile)}
<form method="post" action="${href(lang, '/submit')}" enctype="multipart/form-data" novalidate>
${hidden('formKey', v.formKey ?? newFormKey())}${campaign ? hidden('campaign', campaign.id) : ''}
${textField({ name: 'title', label: t(lang, 'fieldTitle'), hint: t(lang, 'fieldTitleHint'), errors, value: v.title, maxLength: 200, required: true })}
${textArea({ name: 'content', label: t(lang, 'fieldContent'), hint: t(lang, 'fieldContentHint'), errors, value: v.content, maxLength: 20000, required: true })}
${campaign && campaign.topics.length ? select({ name: 'topic', label: t(lang, 'fieldTopic'), errors, value: v.topic, blank: t(lang, 'choose'), options: campaign.topics.map((x) => [x, x]) }) : ''}
${select({ name: 'category', label: `${t(lang, 'category')} *`, errors, value: v.category, blank: t(lang, 'choose'), options: profile.codes('category', true).map((c) => [c, label.category(lang, c, profile)]), required: true })}
${select({ name: 'district', label: `${t(lang, 'district')} *`, errors, value: v.district, blank: t(lang, 'choose'), options: profile.codes('district', true).map((d) => [d, label.district(lang, d, profile)]), required: true })}
${placeFields(lang, v, errors, profile)}
${filesField(lang, kept, fileErrors)}
<h2>${t(lang, 'aboutYou')}</h2>
${textField({ name: 'name', label: t(lang, 'fieldName'), errors, value: v.name, maxLength: 100, autocomplete: 'name' })}
${textField({ name: 'phone', label: t(lang, 'fieldPhone'), errors, value: v.phone, type: 'tel', maxLength: 20, autocomplete: 'tel' })}
${textField({ name: 'email', label: t(lang, 'fieldEmail'), errors, value: v.email, type: 'email', maxLength: 254, autocomplete: 'email' })}
${textField({ name: 'address', label: w(lang, 'address2'), errors, value: v.address, maxLength: 300, autocomplete: 'street-address' })}
${radios({ name: 'replyChannel', label: t(lang, 'fieldReplyChannel'), errors, value: v.replyChannel ?? 'online', options: webReplyChannels.map((c) => [c, label.replyChannel(lang, c)]) })}
${checkbox({ name: 'consent', legend: t(lang, 'consentLegend'), label: t(lang, 'fieldConsent'), errors, checked: v.consent === 'yes' })}
<button type="submit" name="action" value="similar" formnovalidate>${t(lang, 'checkSimilar')}</button>
<button type="submit" name="action" value="send">${t(lang, 'send')}</button>
</form>`;
  return layout({ lang, title, section: campaign ? 'campaigns' : 'submit', path: '/submit', query: campaign ? { campaign: campaign.id } : {}, body });
}
