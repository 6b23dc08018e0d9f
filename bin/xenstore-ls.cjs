#!/usr/bin/env node
'use strict';
require('../dist/xlsim.cjs').run('xenstore-ls', process.argv.slice(2));
