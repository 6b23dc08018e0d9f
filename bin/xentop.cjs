#!/usr/bin/env node
'use strict';
require('../dist/xlsim.cjs').run('xentop', process.argv.slice(2));
