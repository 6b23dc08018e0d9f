#!/usr/bin/env node
'use strict';
require('./load.cjs')('xlsim').exports.run('xlsim', process.argv.slice(2));
