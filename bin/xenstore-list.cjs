#!/usr/bin/env node
'use strict';
require('./load.cjs')().exports.run('xenstore-list', process.argv.slice(2));
