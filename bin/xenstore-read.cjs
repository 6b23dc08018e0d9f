#!/usr/bin/env node
'use strict';
require('../dist/xlsim.cjs').run('xenstore-read', process.argv.slice(2));
