#!/usr/bin/env node
'use strict';
require('../dist/xlsim.cjs').run('xenstore-list', process.argv.slice(2));
