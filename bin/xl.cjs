#!/usr/bin/env node
'use strict';
require('../dist/xlsim.cjs').run('xl', process.argv.slice(2));
