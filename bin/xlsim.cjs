#!/usr/bin/env node
'use strict';
require('./load.cjs')().exports.run('xlsim', process.argv.slice(2));
