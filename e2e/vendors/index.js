'use strict';
/**
 * Every vendor the demo and the e2e tests cover. Adding one is a file next to awardee.js with the same fields
 * (simulator name, credential, node names, fixtures, operation cases, trigger, examples) and a line here.
 */
module.exports = [require('./awardee'), require('./oncehub'), require('./socialboards'), require('./voipbin')];
