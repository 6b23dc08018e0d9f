#!/usr/bin/env node
'use strict';
require('./load.cjs')('xl').exports.run('xentop', process.argv.slice(2));
