import { createTransport } from 'nodemailer';
import type { AdapterKind, Delivery, Notifier, NotifierAdapter } from './notifier';
import { developmentNotifier, maskAddress } from './notifier';

// The notifier's production adapters: e-mail over SMTP and SMS through an HTTP gateway, chosen by
// configuration; a medium without one stays in the development mailbox. The outbox dispatcher
// delivers inside its transaction and marks the row sent in the same commit, so a row is handed
// to a provider once; the row id goes with it (Message-ID, the gateway's idempotency key) so a
// hand-over repeated after a crash between the provider's answer and the commit is recognised.

export interface ProviderSettings {
  /** smtp://user:password@host:port or smtps://… ; unset: e-mail goes to the mailbox. */
  SMTP_URL?: string;
  /** The sender of the e-mails, e.g. "Suggestions <noreply@example.gov.cn>". */
  SMTP_FROM?: string;
  /** The gateway's send endpoint; unset: SMS goes to the mailbox. */
  SMS_GATEWAY_URL?: string;
  SMS_GATEWAY_TOKEN?: string;
  /** The sender name or number the gateway shows. */
  SMS_SENDER?: string;
}

/** The domain of the Message-IDs, so a mail server or client can tell a repeat by its id. */
const messageIdDomain = 'suggestion-chain.invalid';

/** E-mail over SMTP: one message per delivery, its Message-ID made from the outbox row's id. */
export function smtpAdapter(url: string, from: string, log: (line: string) => void): NotifierAdapter {
  const transport = createTransport(url);
  return {
    kind: 'email',
    async deliver(d: Delivery) {
      const info = await transport.sendMail({ from, to: d.address, subject: d.subject, text: d.body, messageId: `<${d.id}@${messageIdDomain}>` });
      if (info.rejected.length > 0) throw new Error(`the mail server refused the recipient ${maskAddress(d.address)}`);
      log(`[email] ${d.recipient} (${maskAddress(d.address)}) ${d.suggestionId ?? ''}: ${d.subject}`);
    },
  };
}

/**
 * SMS through the gateway's HTTP API: `POST <url>` with JSON `{to, sender, text, reference}`,
 * `Authorization: Bearer <token>` and `Idempotency-Key: <reference>`. 2xx is accepted; 409 means
 * the gateway already accepted this reference, which is delivered too. Anything else is retried
 * by the dispatcher's next pass.
 */
export function smsGatewayAdapter(url: string, token: string | undefined, sender: string | undefined, log: (line: string) => void): NotifierAdapter {
  return {
    kind: 'sms',
    async deliver(d: Delivery) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': d.id, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ to: d.address, ...(sender ? { sender } : {}), text: `${d.subject}\n${d.body}`, reference: d.id }),
        signal: AbortSignal.timeout(15_000),
      });
      await res.arrayBuffer();
      if (!res.ok && res.status !== 409) throw new Error(`the SMS gateway answered ${res.status}`);
      log(`[sms] ${d.recipient} (${maskAddress(d.address)}) ${d.suggestionId ?? ''}: ${d.subject}${res.status === 409 ? ' (already accepted)' : ''}`);
    },
  };
}

/** The notifier the configuration asks for: SMTP and the SMS gateway where set, else the mailbox. */
export function notifierFromSettings(settings: ProviderSettings, log: (line: string) => void): Notifier {
  const notifier = developmentNotifier(log);
  const chosen: Partial<Record<AdapterKind, NotifierAdapter>> = {};
  if (settings.SMTP_URL) {
    if (!settings.SMTP_FROM) throw new Error('SMTP_FROM is needed with SMTP_URL: the sender of the e-mails');
    chosen.email = smtpAdapter(settings.SMTP_URL, settings.SMTP_FROM, log);
  }
  if (settings.SMS_GATEWAY_URL) chosen.sms = smsGatewayAdapter(settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN, settings.SMS_SENDER, log);
  return { ...notifier, ...chosen };
}
