// Marks the page as JavaScript-enabled for GOV.UK Frontend, as its page template does inline.
// Kept in its own file because pages are served with Content-Security-Policy script-src 'self'.
// Load it with a plain (not deferred, not module) script tag at the very top of <body>.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
