// exportctl front-end entry point, loaded as an ES module.
import { initAll } from '/static/vendor/govuk-frontend/govuk-frontend.min.js'

initAll()
