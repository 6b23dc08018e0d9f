#!/usr/bin/env node
'use strict';
require('../dist/xlsim.cjs').run('xlsim', process.argv.slice(2));
