#!/usr/bin/env node
'use strict';
const load = require('./load.cjs');
const argv = process.argv.slice(2);
load('xl', load.xlCacheFor(argv)).exports.run('xl', argv);
