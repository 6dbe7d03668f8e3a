// Progressive enhancement only: every core journey works without this file.
import { initAll } from "/static/vendor/govuk/govuk-frontend.min.js";

initAll();
