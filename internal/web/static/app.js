// exportctl front-end entry point, loaded as an ES module.
import { initAll } from '/static/vendor/govuk-frontend/govuk-frontend.min.js'

initAll()

// <select data-app-autosubmit> submits its form when changed (the criteria set of the
// assessment form reloads the page with its criteria). The form's own button stays for
// keyboard users and pages without JavaScript.
for (const select of document.querySelectorAll('select[data-app-autosubmit]')) {
  select.addEventListener('change', () => select.form.requestSubmit())
}

// <button data-app-print hidden> prints the page; shown only where JavaScript runs.
for (const button of document.querySelectorAll('[data-app-print]')) {
  button.hidden = false
  button.addEventListener('click', () => window.print())
}
