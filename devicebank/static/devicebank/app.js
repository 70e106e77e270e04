// devicebank's only script, loaded as an ES module from base.html.
//
// GOV.UK Frontend 6 expects `govuk-frontend-supported` on <body> when the browser runs ES modules; its page
// template adds it with an inline script, which our Content Security Policy (scripts from 'self' only) forbids.
// This file only runs in browsers that support modules, so reaching this line is the test.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
