#!/usr/bin/env node
'use strict';
require('./load.cjs')().exports.run('xentop', process.argv.slice(2));
