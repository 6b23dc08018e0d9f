#!/usr/bin/env node
'use strict';
require('../dist/xlsim.cjs').run('xenstore-write', process.argv.slice(2));
