#!/usr/bin/env node
'use strict';
require('../dist/xlsim.cjs').run('xenstore-rm', process.argv.slice(2));
