#!/usr/bin/env node
'use strict';
const load = require('./load.cjs');
const argv = process.argv.slice(2);
const full = () => load('xl', load.xlCacheFor(argv)).exports.run('xl', argv);
const quick = load.xlQuickBundleFor(argv);
if (quick) load(quick).exports.run('xl', argv, full);
else full();
