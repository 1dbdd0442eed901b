// The development identity provider's own pages: the login form and short messages, plain HTML
// in Chinese with English beside it or on its own (?lang=en), usable from the keyboard alone.

const css = `body{font:16px/1.6 system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1b1b1b;max-width:28rem;margin:2rem auto;padding:0 1rem}
label{display:block;font-weight:600;margin-top:1rem}input{display:block;width:100%;box-sizing:border-box;font:inherit;padding:.5rem;border:2px solid #595959;border-radius:.25rem}
button{font:inherit;font-weight:600;margin-top:1rem;padding:.6rem 1.4rem;border:0;border-radius:.25rem;background:#0b4f9c;color:#fff;cursor:pointer}
:focus-visible{outline:3px solid #b34700;outline-offset:2px}.alert{border:2px solid #a4000f;border-radius:.5rem;padding:.5rem 1rem;color:#a4000f;font-weight:600}.muted{color:#4a4a4a}`;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function messagePage(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${css}</style></head><body><main><h1>${esc(title)}</h1>${body}</main></body></html>`;
}

export function loginPage(opts: { action: string; lang: 'zh' | 'en'; username?: string; error?: boolean }): string {
  const zh = opts.lang === 'zh';
  const w = (a: string, b: string) => (zh ? a : b);
  return `<!doctype html><html lang="${zh ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${w('统一身份认证 · 登录', 'Identity provider · Sign in')}</title><style>${css}</style></head><body>
<main>
<h1>${w('统一身份认证', 'Identity provider')}</h1>
<p class="muted">${w('开发环境的身份提供方（npm start）。用户名和密码见启动时的输出或数据目录中的 dev-users.json。', 'The development identity provider (npm start). Usernames and passwords are printed at start-up and kept in dev-users.json in the data folder.')}</p>
${opts.error ? `<p class="alert" role="alert" id="login-error">${w('用户名或密码不正确。', 'The username or password is not right.')}</p>` : ''}
<form method="post" action="${esc(opts.action)}${zh ? '' : '?lang=en'}" novalidate>
<label for="username">${w('用户名', 'Username')}</label>
<input id="username" name="username" autocomplete="username" required value="${esc(opts.username ?? '')}"${opts.error ? ' aria-invalid="true" aria-describedby="login-error"' : ''}>
<label for="password">${w('密码', 'Password')}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${opts.error ? ' aria-invalid="true" aria-describedby="login-error"' : ''}>
<button type="submit">${w('登录', 'Sign in')}</button>
</form>
<p><a href="${esc(opts.action)}${zh ? '?lang=en' : ''}" lang="${zh ? 'en' : 'zh-CN'}">${zh ? 'English' : '中文'}</a></p>
</main></body></html>`;
}
