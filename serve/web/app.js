// countysim teaching page. Plain JavaScript, no libraries: the server checks and runs the
// scenario and streams one record per month; this page paces the animation, draws the charts
// on <canvas> and the county grid as coloured boxes, and switches between English and Chinese.
'use strict';

(() => {
  // ---------------------------------------------------------------- texts, both languages

  const I18N = {
    en: {
      title: 'countysim: county reform classroom',
      subtitle: 'Province-managing-county (省直管县), devolution, approval reform and fiscal rules, month by month',
      compare: 'Compare A and B',
      langButton: '中文',
      settingsFor: 'Settings for',
      copyAB: 'Copy A to B',
      scenario: 'Scenario',
      province: 'Province',
      advanced: 'More settings (path=value)',
      advancedHint: 'One per line, as in a scenario file, e.g. debt.interest_rate=0.05',
      resetLevers: "Back to the scenario's values",
      run: 'Run',
      pause: 'Pause',
      play: 'Play',
      step: 'Step +1 month',
      reset: 'Reset',
      speed: 'Speed',
      speedN: '{n} months/s',
      speedMax: 'fastest',
      scrubHelp: 'Drag to any month',
      clockIdle: 'Choose the settings, then press Run.',
      clock: 'Month {m} of {n} · {y}',
      downloadCSV: '⬇ CSV',
      downloadYAML: '⬇ YAML',
      downloadCSVHelp: 'Download the monthly series shown (CSV)',
      downloadYAMLHelp: 'Download this scenario as a file that countysim run reads (YAML)',
      'state:idle': 'not run yet',
      'state:running': 'running…',
      'state:waiting': 'waiting for the server…',
      'state:done': 'finished',
      'state:error': 'not run: see the messages',
      'chart:approval': 'Efficiency: days per approval',
      'note:approval': 'mean days from filing to decision; lower = faster',
      'chart:cost': 'Cost: administrative share of spending',
      'note:cost': 'wages and running costs ÷ spending; lower = leaner',
      'chart:fiscal': 'Fiscal health: self-sufficiency',
      'note:fiscal': 'own and shared revenue ÷ spending; higher = less dependent',
      'chart:debt': 'Debt: debt ratio',
      'note:debt': 'explicit debt ÷ annual revenue; dashed: warning lines',
      'chart:hidden': 'Hidden debt: hidden debt ratio',
      'note:hidden': 'hidden, off-budget debt ÷ annual revenue; not yet found by audit',
      'help:pmc.cohorts': 'The waves of pilot counties: the share of all counties each takes and the months of its three steps (-1 = never)',
      cohortName: 'Cohort',
      cohortShare: 'Share',
      cohortStep1: 'Step 1',
      cohortStep2: 'Step 2',
      cohortStep3: 'Step 3',
      cohortCounties: 'Counties',
      cohortField: 'Cohort {n}: {f}',
      addCohort: '+ Add a cohort',
      removeCohort: 'Remove this cohort',
      newCohort: 'cohort{n}',
      countyHint: 'Click a county to see its own series and its path through the reform.',
      scoreTitle: 'Scorecard: the five aims of the reform',
      scoreRun: 'Score against no reform',
      scoreNote: 'Sound decisions, clear division of labour, smooth execution, efficient operation, strong supervision (决策科学、分工合理、执行顺畅、运转高效、监督有力): these settings against the same province with no reform (市管县), paired runs on the same seeds, final year. Better or worse only when the difference is clear in every pair and large enough to matter.',
      scoreBusy: 'scoring…',
      scoreStale: 'The settings have changed since this scorecard: press “Score against no reform” again.',
      scoreReps: '{n} paired runs each',
      scoreNoReform: 'These settings have no reform: nothing to score against.',
      scoreAim: 'Aim',
      scoreMeasured: 'Measured by',
      scoreLevel: 'Level',
      scoreChange: 'Change against no reform',
      scoreVerdict: 'Verdict',
      countyPath: 'Its path (top: PMC step; bottom: debt warning):',
      countyHidden: 'Hidden debt (million yuan)',
      countyClose: 'Close',
      lessonTitle: 'Lesson: what this model is and what to try',
      lessonWhat: 'What it is',
      lessonWhatText: 'A simulated province: a province government, prefecture cities, counties and towns. Each month counties file approval requests, collect revenue, receive transfers that pass through their prefecture city, spend, borrow (openly or off the books) and grow. The reform levers on the left change who decides and who pays. The teaching province\'s counties are invented; a real province starts from its real counties (names, prefecture cities and 2010 census figures), and everything after that is simulated. The rules are written down in the model description.',
      lessonTry: 'What to try',
      lessonTry1: 'Run the three-step path (省直管县) and watch the pilot counties (orange) against the others (blue) at each step.',
      lessonTry2: 'Turn on Compare A and B: keep A as it is, switch B to the approval reform, and run both.',
      lessonTry3: 'Switch "Province manages county" off in B: that is the counterfactual, 市管县 with no reform.',
      lessonTry4: 'Move "Accountability" or "Stop new debt" and watch hidden debt.',
      lessonNotice: 'What to notice at each step',
      lessonStep1: 'Step 1, finance (财政省直管): transfers no longer stop at the prefecture city, so pilot self-sufficiency and money reaching the county change first.',
      lessonStep2: 'Step 2, powers (扩权强县): pilots approve more themselves, so approval days fall.',
      lessonStep3: 'Step 3, direct governance: the province supervises many more counties; watch hidden debt and the debt warnings.',
      lessonModel: 'Read the model description',
      overlay: 'A and B on the same axes',
      overlayA: 'A (solid)',
      overlayB: 'B (dashed)',
      'chart:growth': 'Growth: GDP growth',
      'note:growth': 'annual rate, 12-month average; higher = faster',
      'series:province': 'All counties',
      'series:pilot': 'Pilot counties',
      'series:non-pilot': 'Other counties',
      mapTitle: 'Counties, grouped by prefecture city',
      geoTitle: 'Schematic map: counties in their prefecture cities',
      geoNote: 'Schematic: simplified outlines, not an authoritative boundary. Counties are markers on a grid inside their prefecture (there are no county coordinates).',
      colourStep: 'PMC step',
      colourWarn: 'Debt warning',
      colourHidden: 'Hidden debt',
      hid0: 'No hidden debt',
      hid1: 'Hidden debt below the yellow line',
      hid2: 'Hidden debt at the yellow line',
      hid3: 'Hidden debt at the red line',
      step0: 'City manages county',
      step1: 'Step 1: province manages finance',
      step2: 'Step 2: county gets city powers',
      step3: 'Step 3: province governs directly',
      warn0: 'No warning',
      warn1: 'Yellow warning',
      warn2: 'Red warning',
      pilotMark: 'pilot county',
      prefShort: 'Pref. {n}',
      never: 'never',
      aroundYear: '= {y}',
      stepMark: 'step {k}',
      errorsTitle: 'Please fix these settings:',
      busy: 'The server is busy with other runs. Try again in a moment.',
      runGone: 'The server no longer holds this run (it waited too long for its stream, or was replaced). Press Run again.',
      serverClosing: 'The server is shutting down. Start it again, then press Run.',
      scoreBusyAddr: 'Another scorecard from this computer is being computed. Wait for it, then try again.',
      serverRefused: 'The server could not do this: {e}',
      serverRefusedPlain: 'The server could not do this; try again in a moment.',
      netError: 'Cannot reach the server: {e}',
      streamError: 'The run stopped: {e}',
      noData: 'Press Run to see the reform unfold.',
      counties: '{n} counties',
      footer: 'A model for discussion, not real data or a forecast: every figure is simulated. The teaching province and the synthetic provinces have invented counties; the other provinces start from their real counties (names, prefecture cities and 2010 census figures), whose reform is then simulated (see the model description, linked above). Orange: pilot counties; blue: the other counties; grey: all counties. Dashed lines mark each cohort\'s steps (cohort.step when there are several). The downloaded YAML runs again with: countysim run FILE.yaml',
      'group:run': 'Run',
      'group:pmc': 'Province manages county (省直管县)',
      'group:devolution': 'Devolution (扩权强县)',
      'group:approval': 'Approval reform',
      'group:organisation': 'Organisation',
      'group:fiscal': 'Fiscal and debt rules',
      'help:months': 'Length of the run, at most 360 months (30 years)',
      'help:seed': 'Same seed, same run; another seed draws other counties',
      'help:pmc.enabled': 'Off: every county stays under its prefecture city',
      'help:pmc.mode': 'Three steps: finances, then powers, then direct governance. All at once: straight to step 3',
      'choice:three-step': 'three steps',
      'choice:one-shot': 'all at once',
      'lever:pmc.cohorts': 'Pilot cohorts',
      'lever:pmc.cohorts[0].share': 'First cohort: share of counties',
      'help:pmc.cohorts[0].share': 'Share of all counties that enter as the first pilot cohort',
      'help:pmc.cohorts[0].step1': 'Month the province takes over the pilots\' finances; -1 = never',
      'help:pmc.cohorts[0].step2': 'Month the pilots get a prefecture city\'s powers; -1 = never',
      'help:pmc.cohorts[0].step3': 'Month the pilots leave their prefecture city; -1 = never',
      'help:devolution.economic': 'Share of the devolvable economic approval authority handed to counties',
      'help:devolution.social': 'Share of the devolvable social-affairs authority handed to counties',
      'help:devolution.personnel': 'Share of cadre-personnel authority handed to counties',
      'help:devolution.town_economic': 'Share of county economic authority passed on to urbanised towns',
      'help:devolution.town_social': 'Share of county social-affairs authority passed on to urbanised towns',
      'help:approval.item_cut': 'Share of approval items abolished (at most 0.9)',
      'help:approval.step_cut': 'Share of procedural steps cut from the items left (at most 0.9)',
      'help:approval.one_stop': 'Share of requests handled at a one-stop hall',
      'help:decision.egovernment': '0 paper, 1 fully online',
      'help:organisation.streamline_target': 'Share of overlapping county organs to merge',
      'help:organisation.vertical_coordination': 'How far the tax, market-regulation and land branches work with the county government',
      'help:debt.stop_new_debt': 'No new explicit borrowing at all',
      'help:debt.red_stops_borrowing': 'A county under a red debt warning may not borrow',
      'help:debt.accountability': 'How hard officials are punished when hidden borrowing or misuse is found',
      'help:finance.county_managed_town_finance': 'The county keeps the towns\' accounts',
      'lever:finance.town_managed_village_finance': 'Town manages village finance (村财镇管)',
      'help:finance.town_managed_village_finance': 'The town keeps the villages\' accounts: fewer leaks of village funds',
      'lever:finance.priority_rule': 'Wages, operations, priorities first (保工资、保运转、保重点)',
      'help:finance.priority_rule': 'When money is short, counties pay wages first, then running costs, then the key items',
      'preset:teaching': 'Teaching province',
      'preset:zhejiang': 'Zhejiang',
      'preset:jiangsu': 'Jiangsu',
      'preset:anhui': 'Anhui',
      'preset:hubei': 'Hubei',
      'preset:henan': 'Henan',
      'preset:hebei': 'Hebei',
      'preset:jiangxi': 'Jiangxi',
      'preset:beijing': 'Beijing',
      'preset:tianjin': 'Tianjin',
      'preset:shanxi': 'Shanxi',
      'preset:inner-mongolia': 'Inner Mongolia',
      'preset:liaoning': 'Liaoning',
      'preset:jilin': 'Jilin',
      'preset:heilongjiang': 'Heilongjiang',
      'preset:shanghai': 'Shanghai',
      'preset:fujian': 'Fujian',
      'preset:shandong': 'Shandong',
      'preset:hunan': 'Hunan',
      'preset:guangdong': 'Guangdong',
      'preset:guangxi': 'Guangxi',
      'preset:hainan': 'Hainan',
      'preset:chongqing': 'Chongqing',
      'preset:sichuan': 'Sichuan',
      'preset:guizhou': 'Guizhou',
      'preset:yunnan': 'Yunnan',
      'preset:tibet': 'Tibet',
      'preset:shaanxi': 'Shaanxi',
      'preset:gansu': 'Gansu',
      'preset:qinghai': 'Qinghai',
      'preset:ningxia': 'Ningxia',
      'preset:xinjiang': 'Xinjiang',
      'preset:zhejiang-synthetic': 'Zhejiang (synthetic counties)',
      'preset:jiangsu-synthetic': 'Jiangsu (synthetic counties)',
      'preset:anhui-synthetic': 'Anhui (synthetic counties)',
      'preset:hubei-synthetic': 'Hubei (synthetic counties)',
      'preset:henan-synthetic': 'Henan (synthetic counties)',
      'preset:hebei-synthetic': 'Hebei (synthetic counties)',
      'preset:jiangxi-synthetic': 'Jiangxi (synthetic counties)',
      'scen:baseline': 'Baseline: no reform',
      'scen:devolution': 'Devolution, all that can go',
      'scen:fiscal-discipline': 'Fiscal discipline',
      'scen:henan-2014': 'Henan: ten counties, full PMC in 2014',
      'scen:jiangxi-cohorts': 'Jiangxi: fiscal PMC in three cohorts',
      'scen:pmc-one-shot': 'PMC all at once',
      'scen:pmc-step1-only': 'Fiscal PMC only (step 1)',
      'scen:pmc-three-step': 'PMC in three steps (default)',
      'scen:streamline-and-approval': 'Approval reform and streamlining',
      'scen:zhejiang': 'Zhejiang model',
    },
    zh: {
      title: 'countysim：县域治理改革课堂模拟',
      subtitle: '省直管县、扩权强县、审批制度改革与财政规则，逐月演示',
      compare: 'A、B 两组对比',
      langButton: 'English',
      settingsFor: '正在设置',
      copyAB: '把 A 复制到 B',
      scenario: '情景',
      province: '省份',
      advanced: '更多设置（路径=值）',
      advancedHint: '每行一项，写法与情景文件相同，例如 debt.interest_rate=0.05',
      resetLevers: '恢复情景的原始设置',
      run: '运行',
      pause: '暂停',
      play: '播放',
      step: '前进一个月',
      reset: '重置',
      speed: '速度',
      speedN: '每秒 {n} 个月',
      speedMax: '最快',
      scrubHelp: '拖动可跳到任一月份',
      clockIdle: '选好设置后，按“运行”。',
      clock: '第 {m} 个月 / 共 {n} 个月 · {y} 年',
      downloadCSV: '⬇ 数据 CSV',
      downloadYAML: '⬇ 情景 YAML',
      downloadCSVHelp: '下载图中的逐月数据（CSV）',
      downloadYAMLHelp: '把本情景下载为 countysim run 可读的文件（YAML）',
      'state:idle': '尚未运行',
      'state:running': '运行中…',
      'state:waiting': '等待服务器空闲…',
      'state:done': '已完成',
      'state:error': '未运行：请看提示',
      'chart:approval': '效率：审批所需天数',
      'note:approval': '从申请到办结的平均天数；越低越快',
      'chart:cost': '成本：行政成本占支出比重',
      'note:cost': '工资和运转经费 ÷ 支出；越低越精简',
      'chart:fiscal': '财政状况：财政自给率',
      'note:fiscal': '（县级固定收入 + 共享税分成收入）÷ 支出；越高越少依赖转移支付',
      'chart:debt': '债务：债务率',
      'note:debt': '显性债务 ÷ 年度可用财力；虚线为预警线',
      'chart:hidden': '隐性债务：隐性债务率',
      'note:hidden': '预算外隐性债务 ÷ 年度可用财力；尚未被审计发现',
      'help:pmc.cohorts': '分批推进的试点县：每批占全部县的比例，以及三个步骤开始的月份（-1 = 不实行）',
      cohortName: '批次',
      cohortShare: '比例',
      cohortStep1: '第一步',
      cohortStep2: '第二步',
      cohortStep3: '第三步',
      cohortCounties: '试点县名单',
      cohortField: '第 {n} 批：{f}',
      addCohort: '+ 增加一批',
      removeCohort: '删除这一批',
      newCohort: '第{n}批',
      countyHint: '点击一个县，查看它自己的指标变化和改革路径。',
      scoreTitle: '评分卡：改革的五项目标',
      scoreRun: '与不改革比较评分',
      scoreNote: '决策科学、分工合理、执行顺畅、运转高效、监督有力：当前设置与同一省份不改革（维持市管县）相比，相同随机种子的配对模拟，末年数值。只有差异明确且大到值得关注时，才判定更好或更差。',
      scoreBusy: '正在评分…',
      scoreStale: '评分后设置已经改变：请再按一次“与不改革比较评分”。',
      scoreReps: '各 {n} 次配对模拟',
      scoreNoReform: '当前设置没有任何改革，无从比较。',
      scoreAim: '目标',
      scoreMeasured: '衡量指标',
      scoreLevel: '水平',
      scoreChange: '相对不改革的变化',
      scoreVerdict: '判定',
      countyPath: '改革路径（上：省直管县步骤；下：债务预警）：',
      countyHidden: '隐性债务（百万元）',
      countyClose: '关闭',
      lessonTitle: '课堂指引：这个模型是什么、可以试什么',
      lessonWhat: '模型是什么',
      lessonWhatText: '一个模拟的省：省政府、地级市、县和乡镇。每个月，各县受理审批申请、组织收入、接收经地级市转拨的转移支付、安排支出、举债（显性或隐性）并实现增长。左侧的改革杠杆改变由谁决策、由谁出钱。教学省的县是虚构的；真实省份以各县的真实情况（县名、所属地级市和 2010 年人口普查数据）为起点，此后的一切都是模拟的。规则写在模型说明中。',
      lessonTry: '可以试什么',
      lessonTry1: '运行“省直管县三步走”，在每一步观察试点县（橙色）与其他县（蓝色）的差别。',
      lessonTry2: '打开“A、B 两组对比”：A 保持不变，把 B 换成审批制度改革，然后同时运行。',
      lessonTry3: '在 B 中关闭“实行省直管县”：这就是反事实情景，即维持市管县、不进行改革。',
      lessonTry4: '调整“举债问责力度”或“制止新债”，观察隐性债务的变化。',
      lessonNotice: '每一步要注意什么',
      lessonStep1: '第一步，财政省直管：转移支付不再经地级市截留，试点县的财政自给率和到位转移支付最先变化。',
      lessonStep2: '第二步，扩权强县：试点县自行审批的事项增多，审批天数下降。',
      lessonStep3: '第三步，全面省直管：省级直接管理的县大幅增加，注意隐性债务和债务预警。',
      lessonModel: '阅读模型说明',
      overlay: 'A 和 B 画在同一坐标轴上',
      overlayA: 'A（实线）',
      overlayB: 'B（虚线）',
      'chart:growth': '增长：GDP 增长率',
      'note:growth': '年率，12 个月平均；越高增长越快',
      'series:province': '全部县',
      'series:pilot': '试点县',
      'series:non-pilot': '非试点县',
      mapTitle: '各县（按地级市分组）',
      geoTitle: '示意地图：各县及所属地级市',
      geoNote: '示意图：轮廓经过简化，不代表权威边界。各县以标记表示，按网格置于所属地级市内（没有县级坐标）。',
      colourStep: '省直管县步骤',
      colourWarn: '债务预警',
      colourHidden: '隐性债务',
      hid0: '无隐性债务',
      hid1: '隐性债务率低于黄色预警线',
      hid2: '隐性债务率达到黄色预警线',
      hid3: '隐性债务率达到红色预警线',
      step0: '市管县',
      step1: '第一步：财政省直管',
      step2: '第二步：扩权强县（享有地级市管理权限）',
      step3: '第三步：全面省直管',
      warn0: '无预警',
      warn1: '黄色预警',
      warn2: '红色预警',
      pilotMark: '试点县',
      prefShort: '地市 {n}',
      never: '不实行',
      aroundYear: '= {y} 年',
      stepMark: '第{k}步',
      errorsTitle: '请修改以下设置：',
      busy: '服务器正忙（同时运行的任务已达上限），请稍后再试。',
      runGone: '服务器上已没有这次运行（等待开始的时间过长，或已被新的运行取代）。请再按一次“运行”。',
      serverClosing: '服务器正在关闭。请重新启动服务器，再按“运行”。',
      scoreBusyAddr: '这台电脑的另一张评分卡正在计算，请等它完成后再试。',
      serverRefused: '服务器无法完成这个请求：{e}',
      serverRefusedPlain: '服务器无法完成这个请求，请稍后再试。',
      netError: '无法连接服务器：{e}',
      streamError: '运行中断：{e}',
      noData: '按“运行”观看改革的进程。',
      counties: '{n} 个县',
      footer: '供课堂讨论的模型，不是真实数据，也不是预测：所有数字都是模拟的。教学省和虚拟县省份的县是虚构的；其他省份以各县的真实情况（县名、所属地级市和 2010 年人口普查数据）为起点，改革过程是模拟的（见上方链接的模型说明）。橙色：试点县；蓝色：其他县；灰色：全部县。虚线标出各批试点的各步时间（多批时标为“批次.步骤”）。下载的 YAML 可用 countysim run 文件名.yaml 重新运行。',
      'group:run': '运行设置',
      'group:pmc': '省直管县',
      'group:devolution': '扩权强县与强镇扩权',
      'group:approval': '审批制度改革',
      'group:organisation': '机构改革',
      'group:fiscal': '财政与债务规则',
      'help:months': '模拟时长，最多 360 个月（30 年）',
      'help:seed': '随机种子相同，结果就相同；换一个随机种子会生成另一组县',
      'help:pmc.enabled': '关闭：所有县仍由地级市管理',
      'help:pmc.mode': '三步走：先财政省直管、再扩权强县、后全面省直管；一步到位：直接进入第三步',
      'choice:three-step': '三步走',
      'choice:one-shot': '一步到位',
      'lever:pmc.cohorts': '试点批次',
      'lever:pmc.cohorts[0].share': '首批试点县比例',
      'help:pmc.cohorts[0].share': '第一批试点县占全部县的比例',
      'help:pmc.cohorts[0].step1': '省直接管理试点县财政的月份；-1 表示不实行',
      'help:pmc.cohorts[0].step2': '试点县获得地级市管理权限的月份；-1 表示不实行',
      'help:pmc.cohorts[0].step3': '试点县脱离地级市、由省直接管理的月份；-1 表示不实行',
      'help:devolution.economic': '可下放的经济审批权限中下放给县的比例',
      'help:devolution.social': '可下放的社会事务权限中下放给县的比例',
      'help:devolution.personnel': '干部人事管理权限中下放给县的比例',
      'help:devolution.town_economic': '县级经济权限中再下放给城镇化程度高的镇的比例',
      'help:devolution.town_social': '县级社会事务权限中再下放给城镇化程度高的镇的比例',
      'help:approval.item_cut': '取消的审批事项占全部事项的比例（最多 0.9）',
      'help:approval.step_cut': '保留事项中精简掉的办理环节比例（最多 0.9）',
      'help:approval.one_stop': '在行政服务中心一个窗口办结的申请比例',
      'help:decision.egovernment': '0 为纸质办理，1 为全程网办',
      'help:organisation.streamline_target': '县级职能重叠机构中要合并的比例',
      'help:organisation.vertical_coordination': '税务、市场监管、国土等垂直部门与县政府的配合程度',
      'help:debt.stop_new_debt': '完全不允许新增显性债务',
      'lever:debt.red_stops_borrowing': '红色预警停止举债',
      'help:debt.red_stops_borrowing': '县镇村三级债务预警中，处于红色预警的县不得举债',
      'lever:debt.accountability': '举债问责力度',
      'help:debt.accountability': '发现隐性举债或挪用资金时对官员的问责力度',
      'help:finance.county_managed_town_finance': '乡镇财政收支由县级财政统一管理',
      'lever:finance.town_managed_village_finance': '村财镇管',
      'help:finance.town_managed_village_finance': '村级财务由乡镇统一代管，减少村级资金流失',
      'lever:finance.priority_rule': '保工资、保运转、保重点',
      'help:finance.priority_rule': '资金不足时，县级财政先保工资，再保运转，后保重点支出',
      'preset:teaching': '教学省',
      'preset:zhejiang': '浙江',
      'preset:jiangsu': '江苏',
      'preset:anhui': '安徽',
      'preset:hubei': '湖北',
      'preset:henan': '河南',
      'preset:hebei': '河北',
      'preset:jiangxi': '江西',
      'preset:beijing': '北京',
      'preset:tianjin': '天津',
      'preset:shanxi': '山西',
      'preset:inner-mongolia': '内蒙古',
      'preset:liaoning': '辽宁',
      'preset:jilin': '吉林',
      'preset:heilongjiang': '黑龙江',
      'preset:shanghai': '上海',
      'preset:fujian': '福建',
      'preset:shandong': '山东',
      'preset:hunan': '湖南',
      'preset:guangdong': '广东',
      'preset:guangxi': '广西',
      'preset:hainan': '海南',
      'preset:chongqing': '重庆',
      'preset:sichuan': '四川',
      'preset:guizhou': '贵州',
      'preset:yunnan': '云南',
      'preset:tibet': '西藏',
      'preset:shaanxi': '陕西',
      'preset:gansu': '甘肃',
      'preset:qinghai': '青海',
      'preset:ningxia': '宁夏',
      'preset:xinjiang': '新疆',
      'preset:zhejiang-synthetic': '浙江（虚拟县）',
      'preset:jiangsu-synthetic': '江苏（虚拟县）',
      'preset:anhui-synthetic': '安徽（虚拟县）',
      'preset:hubei-synthetic': '湖北（虚拟县）',
      'preset:henan-synthetic': '河南（虚拟县）',
      'preset:hebei-synthetic': '河北（虚拟县）',
      'preset:jiangxi-synthetic': '江西（虚拟县）',
      'scen:baseline': '基准：市管县，不改革',
      'scen:devolution': '扩权：能放都放',
      'scen:fiscal-discipline': '财政纪律',
      'scen:henan-2014': '河南：十个县 2014 年全面省直管',
      'scen:jiangxi-cohorts': '江西：分三批财政省直管',
      'scen:pmc-one-shot': '省直管县一步到位',
      'scen:pmc-step1-only': '只实行财政省直管（第一步）',
      'scen:pmc-three-step': '省直管县三步走（默认）',
      'scen:streamline-and-approval': '审批制度改革与机构精简',
      'scen:zhejiang': '浙江模式',
      'desc:baseline': '维持市管县，不进行任何改革。',
      'desc:devolution': '把能下放的权限全部下放到县，并延伸到强镇；不实行省直管县。',
      'desc:fiscal-discipline': '制止新债、逐步化解旧债、明确责任并严格问责、乡财县管、上级布置任务须配足经费；不实行省直管县。',
      'desc:henan-2014': '河南的十个县：2005 年起财政省直管，2014 年起全面省直管。',
      'desc:jiangxi-cohorts': '江西财政省直管县：2005 年 21 个县，2007 年 59 个，2009 年全部 80 个。',
      'desc:pmc-one-shot': '所有县在同一时间实行省直管县，不设试点。',
      'desc:pmc-step1-only': '试点县只实行第一步（财政省直管），不再推进。',
      'desc:pmc-three-step': '试点县分批按三步推进省直管县。',
      'desc:streamline-and-approval': '减少审批事项和环节、一站式服务、电子政务、合并机构；不实行省直管县。',
      'desc:zhejiang': '浙江：所有县从一开始就实行财政省直管，并扩大县级权限。',
    },
  };

  const STEP_COLOURS = ['#d9d9d9', '#a6cbe8', '#4a90c8', '#1b3f73'];
  const WARN_COLOURS = ['#5aae61', '#f1c232', '#d7301f'];
  const SERIES = [
    { group: 'province', colour: '#666666', width: 1.5, dash: [5, 3] },
    { group: 'pilot', colour: '#e66a10', width: 2.5, dash: [] },
    { group: 'non-pilot', colour: '#1f6fb4', width: 2.5, dash: [] },
  ];
  const CHARTS = {
    approval: { metric: 'approval_days', pct: false, digits: 0 },
    cost: { metric: 'admin_cost_share', pct: true, digits: 1 },
    fiscal: { metric: 'self_sufficiency', pct: true, digits: 1 },
    debt: { metric: 'debt_ratio', pct: false, digits: 2 },
    // hidden debt over the same annual revenue as the debt ratio: hidden × ratio ÷ explicit. Its
    // values are hundredths or thousandths: at least two significant digits.
    hidden: { metric: 'hidden_debt', pct: false, digits: 3, sig: 2, overRevenue: true },
    growth: { metric: 'growth', pct: true, digits: 1, smooth: 12 },
  };

  // fmt writes a chart's value with d decimals (of a percentage for shares): by default the
  // chart's, or more for a small value of a chart that asks for c.sig significant digits.
  function fmt(c, v, d) {
    if (d === undefined) {
      d = c.digits;
      const a = Math.abs(c.pct ? v * 100 : v);
      if (c.sig && a > 0) d = Math.min(6, Math.max(d, c.sig - 1 - Math.floor(Math.log10(a))));
    }
    return c.pct ? (v * 100).toFixed(d) + '%' : v.toFixed(d);
  }

  // tickDecimals is the fewest decimals that write every multiple of step exactly.
  function tickDecimals(c, step) {
    const s = c.pct ? step * 100 : step;
    for (let d = 0; d < 6; d++) {
      const x = s * Math.pow(10, d);
      if (Math.abs(x - Math.round(x)) < 1e-6) return d;
    }
    return 6;
  }

  // ---------------------------------------------------------------- state

  // TAB tells this tab's runs apart from another tab's: a run asked for names its tab and
  // panel, so that the server replaces only that panel's older run. It is kept for the tab's
  // life (sessionStorage), so that after a reload a Run replaces the runs the page left.
  const TAB = (() => {
    const fresh = () => Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
    try {
      let id = sessionStorage.getItem('countysim-tab');
      if (!/^[0-9a-f]{16}$/.test(id || '')) sessionStorage.setItem('countysim-tab', (id = fresh()));
      return id;
    } catch (e) {
      return fresh(); // storage refused: a tab of its own all the same
    }
  })();

  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

  const S = {
    lang: document.documentElement.lang === 'zh' ? 'zh' : 'en',
    compare: false,
    overlay: false,
    active: 'A',
    colourBy: 'step',
    speed: 12,
    levers: [],
    presets: [],
    scenarios: {},
    scenarioOrder: [],
    untranslated: [], // the scenarios offered without a Chinese name or description
    defaultScenario: 'pmc-three-step',
    panels: {},
    clock: 0,
    playing: false,
    lastTs: null,
    dirty: true,
    timing: { start: 0, firstDraw: null },
  };

  function t(key, args) {
    let s = I18N[S.lang][key];
    if (s === undefined) s = I18N.en[key];
    if (s === undefined) return key;
    if (args) for (const k of Object.keys(args)) s = s.split('{' + k + '}').join(args[k]);
    return s;
  }

  // localMessage is a server problem's message in the page's language: the server sends each
  // in English (message) and, where it has one, in Chinese (message_zh, with the bad value and
  // what is allowed, spaced as the page writes Chinese). A message without a Chinese is said
  // on the Chinese page as a whole Chinese sentence with the setting (unless named: the setting
  // is named beside it) and the bad value: never half English.
  function localMessage(e, named) {
    if (S.lang !== 'zh') return e.message;
    if (e.message_zh) return e.message_zh;
    const v = /bad value (.*?) \(allowed/.exec(e.message) || /bad value (\S+)/.exec(e.message);
    const label = e.path ? leverLabel(e.path) : '';
    const where = !e.path || named ? '' : label !== e.path ? label + '（' + e.path + '）' : e.path;
    return (where ? '设置 ' + where + ' 的' : '') + (v ? '取值 ' + v[1] : '取值') + ' 不符合模型规则，请换一个值。';
  }

  // ---------------------------------------------------------------- panels

  function newPanel(name) {
    const el = $('#panel-template').content.firstElementChild.cloneNode(true);
    el.id = 'panel-' + name;
    el.dataset.panel = name;
    $('.panel-name', el).textContent = name;
    $('#panels').appendChild(el);
    const p = {
      name, el, base: S.defaultScenario, preset: 'teaching', touched: {}, extra: '',
      errors: [], run: null, gridCells: [], shown: 0,
    };
    $('.score-run', el).addEventListener('click', () => scoreCard(p));
    $('.dl-csv', el).addEventListener('click', () => downloadCSV(p));
    $('.dl-yaml', el).addEventListener('click', () => downloadYAML(p));
    for (const b of $$('.colour-by button', el)) {
      b.addEventListener('click', () => { S.colourBy = b.dataset.colour; S.dirty = true; renderColourButtons(); });
    }
    return p;
  }

  function visiblePanels() {
    return S.compare ? [S.panels.A, S.panels.B] : [S.panels.A];
  }

  function setState(p, state) {
    p.el.dataset.state = state;
    $('.state', p.el).textContent = t('state:' + state);
  }

  function scenarioValue(p, path) {
    if (path in p.touched) return p.touched[path];
    const sc = S.scenarios[p.base];
    return sc ? sc.values[path] : undefined;
  }

  // request is what the server needs to build a panel's scenario.
  function request(p) {
    const sets = Object.assign({}, p.touched);
    for (const [k, v] of Object.entries(sets)) if (Array.isArray(v)) sets[k] = cohortsYAML(v);
    for (const raw of p.extra.split('\n')) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      const i = line.indexOf('=');
      if (i < 0) sets[line] = '';
      else sets[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    }
    return { base: p.base, preset: p.preset, sets };
  }

  // cohortsYAML writes the cohort editor's rows as the YAML list pmc.cohorts takes, every field
  // of each cohort, those the editor does not show (a listed cohort's counties) as they came.
  // Names are quoted and lists written as JSON (which is YAML); numbers go as typed, so a bad
  // one reaches the server's checks and its message.
  function cohortsYAML(rows) {
    const num = (v) => (v === null || v === undefined || String(v).trim() === '' ? 'null' : String(v).trim());
    const field = (k, v) => k + ': ' + (k === 'name' ? JSON.stringify(String(v)) : typeof v === 'object' && v !== null ? JSON.stringify(v) : num(v));
    return '[' + rows.map((c) => '{' + Object.keys(c).map((k) => field(k, c[k])).join(', ') + '}').join(', ') + ']';
  }

  // cohortEditor fills div with a table of every pilot cohort (name, share of counties, the
  // months of steps 1-3, remove) and an add button; every edit calls touch with the new rows.
  function cohortEditor(div, rows, touch) {
    let box = $('.cohorts', div);
    if (!box) {
      box = document.createElement('div');
      box.className = 'cohorts';
      div.insertBefore(box, $('.msg', div));
    }
    box.textContent = '';
    const table = document.createElement('table');
    const head = document.createElement('tr');
    for (const k of ['cohortName', 'cohortShare', 'cohortStep1', 'cohortStep2', 'cohortStep3', '']) {
      const th = document.createElement('th');
      if (k) { th.dataset.i18n = k; th.textContent = t(k); }
      head.appendChild(th);
    }
    table.appendChild(head);
    const cur = rows.map((r) => Object.assign({}, r));
    rows.forEach((c, i) => {
      const tr = document.createElement('tr');
      tr.dataset.cohort = i;
      for (const f of ['name', 'share', 'step1', 'step2', 'step3']) {
        const td = document.createElement('td');
        const inp = document.createElement('input');
        inp.className = 'co-' + f;
        inp.dataset.field = f;
        if (f === 'name') inp.type = 'text';
        else {
          inp.type = 'number';
          inp.step = f === 'share' ? 0.05 : 1;
          if (f === 'share') { inp.min = 0; inp.max = 1; } else { inp.min = -1; inp.max = 360; }
        }
        inp.value = c[f] === null || c[f] === undefined ? '' : String(c[f]);
        inp.setAttribute('aria-label', t('cohort' + f[0].toUpperCase() + f.slice(1)) + ' ' + (i + 1));
        inp.addEventListener('input', () => {
          cur[i][f] = inp.value;
          touch(cur.map((r) => Object.assign({}, r)), false);
        });
        td.appendChild(inp);
        tr.appendChild(td);
      }
      const td = document.createElement('td');
      const rm = document.createElement('button');
      rm.type = 'button';
      rm.className = 'small co-remove';
      rm.textContent = '×';
      rm.dataset.i18nTitle = 'removeCohort';
      rm.title = t('removeCohort');
      rm.addEventListener('click', () => touch(cur.filter((_, j) => j !== i), true));
      td.appendChild(rm);
      tr.appendChild(td);
      table.appendChild(tr);
    });
    box.appendChild(table);
    const add = document.createElement('button');
    add.type = 'button';
    add.className = 'small co-add';
    add.dataset.i18n = 'addCohort';
    add.textContent = t('addCohort');
    add.addEventListener('click', () => {
      const last = cur[cur.length - 1];
      const at = (v, d) => (last && Number.isFinite(Number(v)) && Number(v) >= 0 ? Number(v) + 24 : d);
      touch(cur.concat([{ name: t('newCohort', { n: cur.length + 1 }), share: 0.1,
        step1: at(last && last.step1, 24), step2: at(last && last.step2, 60), step3: at(last && last.step3, 108) }]), true);
    });
    box.appendChild(add);
  }

  // ---------------------------------------------------------------- settings sidebar

  function buildSettings() {
    const base = $('#base');
    base.textContent = '';
    for (const name of S.scenarioOrder) {
      const o = document.createElement('option');
      o.value = name;
      base.appendChild(o);
    }
    const preset = $('#preset');
    preset.textContent = '';
    for (const pr of S.presets) {
      const o = document.createElement('option');
      o.value = pr.name;
      preset.appendChild(o);
    }
    const box = $('#levers');
    box.textContent = '';
    let group = null;
    let body = null;
    for (const l of S.levers) {
      if (l.group !== group) {
        group = l.group;
        const d = document.createElement('details');
        d.open = group !== 'organisation';
        d.className = 'group';
        d.innerHTML = '<summary></summary>';
        $('summary', d).dataset.i18n = 'group:' + group;
        box.appendChild(d);
        body = d;
      }
      body.appendChild(leverControl(l));
    }
    base.addEventListener('change', () => {
      const p = S.panels[S.active];
      p.base = base.value;
      p.touched = {};
      const sc = S.scenarios[p.base];
      if (sc && sc.preset) p.preset = sc.preset;
      clearErrors(p);
      loadSettings();
    });
    preset.addEventListener('change', () => {
      const p = S.panels[S.active];
      p.preset = preset.value;
      clearErrors(p);
    });
    $('#extra').addEventListener('input', (e) => { S.panels[S.active].extra = e.target.value; });
    $('#resetLevers').addEventListener('click', () => {
      const p = S.panels[S.active];
      p.touched = {};
      p.extra = '';
      clearErrors(p);
      loadSettings();
    });
  }

  function leverControl(l) {
    const div = document.createElement('div');
    div.className = 'lever kind-' + l.kind;
    div.dataset.path = l.path;
    const id = 'lever-' + l.path.replace(/[^a-z0-9]/gi, '_');
    const label = document.createElement('label');
    label.htmlFor = id;
    label.innerHTML = '<span class="lname"></span><span class="changed-mark" aria-hidden="true">●</span>';
    $('.lname', label).dataset.i18n = 'lever:' + l.path;
    $('.lname', label).id = id + '-name';
    label.dataset.i18nTitle = 'help:' + l.path;
    const row = document.createElement('div');
    row.className = 'row';
    const touch = (v) => {
      S.panels[S.active].touched[l.path] = v;
      div.classList.add('changed');
      clearFieldError(div);
      updateSuffix(div, l, v);
      if (l.path === 'pmc.enabled') dimPMC(v);
    };
    if (l.kind === 'cohorts') {
      div.append(label);
      label.htmlFor = '';
      const msg = document.createElement('div');
      msg.className = 'msg';
      msg.setAttribute('role', 'alert');
      div.appendChild(msg);
      return div;
    }
    if (l.kind === 'bool') {
      const cb = document.createElement('input');
      cb.type = 'checkbox';
      cb.id = id;
      cb.className = 'value';
      cb.addEventListener('change', () => touch(cb.checked));
      row.appendChild(cb);
      div.classList.add('inline');
      div.append(row, label);
    } else if (l.kind === 'choice') {
      const sel = document.createElement('select');
      sel.id = id;
      sel.className = 'value';
      for (const c of l.choices) {
        const o = document.createElement('option');
        o.value = c;
        o.dataset.i18n = 'choice:' + c;
        sel.appendChild(o);
      }
      sel.addEventListener('change', () => touch(sel.value));
      row.appendChild(sel);
      div.append(label, row);
    } else {
      const box = document.createElement('input');
      box.type = 'number';
      box.className = 'box value';
      box.id = id;
      box.step = l.kind === 'integer' ? 1 : l.step;
      if (l.kind === 'number') {
        const slider = document.createElement('input');
        slider.type = 'range';
        slider.className = 'slider';
        slider.min = l.min;
        slider.max = l.max;
        slider.step = l.step;
        slider.setAttribute('aria-labelledby', id + '-name'); // named by its label, not by its value
        slider.addEventListener('input', () => { box.value = slider.value; touch(slider.value); });
        // The box is not clamped: a value out of range goes to the server, which says why.
        box.addEventListener('input', () => { slider.value = box.value; touch(box.value); });
        row.appendChild(slider);
      } else {
        box.addEventListener('input', () => touch(box.value));
      }
      row.appendChild(box);
      const suffix = document.createElement('span');
      suffix.className = 'suffix';
      row.appendChild(suffix);
      div.append(label, row);
    }
    const msg = document.createElement('div');
    msg.className = 'msg';
    msg.setAttribute('role', 'alert');
    div.appendChild(msg);
    return div;
  }

  function updateSuffix(div, l, v) {
    const suffix = $('.suffix', div);
    if (!suffix) return;
    if (!/\.step\d$/.test(l.path)) { suffix.textContent = ''; return; }
    const m = Number(v);
    const sc = S.scenarios[S.panels[S.active].base];
    const start = sc ? sc.start_year : 2005;
    if (m === -1) suffix.textContent = t('never');
    else if (Number.isInteger(m) && m >= 0) suffix.textContent = t('aroundYear', { y: start + Math.floor(m / 12) });
    else suffix.textContent = '';
  }

  // showCohorts shows a panel's cohorts in the editor; an edit is kept as the panel's
  // pmc.cohorts, and the table is redrawn only when a cohort is added or removed.
  function showCohorts(div, l, v) {
    const rows = Array.isArray(v) ? v : [];
    cohortEditor(div, rows, (next, redraw) => {
      S.panels[S.active].touched[l.path] = next;
      div.classList.add('changed');
      clearFieldError(div);
      if (redraw) showCohorts(div, l, next);
    });
  }

  // dimPMC greys out the pilot-path controls while province-manages-county is off.
  function dimPMC(on) {
    for (const div of $$('#settings .lever[data-path^="pmc."]')) {
      if (div.dataset.path !== 'pmc.enabled') div.classList.toggle('off', !(on === true || on === 'true'));
    }
  }

  // loadSettings shows the active panel's settings in the sidebar.
  function loadSettings() {
    const p = S.panels[S.active];
    $('#base').value = p.base;
    $('#preset').value = p.preset;
    $('#extra').value = p.extra;
    for (const l of S.levers) {
      const div = $('.lever[data-path="' + CSS.escape(l.path) + '"]');
      const v = scenarioValue(p, l.path);
      div.classList.toggle('changed', l.path in p.touched);
      div.classList.toggle('missing', v === undefined || v === null);
      if (l.kind === 'cohorts') showCohorts(div, l, v);
      else if (l.kind === 'bool') $('.value', div).checked = v === true || v === 'true';
      else if (l.kind === 'choice') $('.value', div).value = v;
      else {
        const s = v === undefined || v === null ? '' : String(v);
        $('.box', div).value = s;
        const slider = $('.slider', div);
        if (slider) slider.value = s;
      }
      updateSuffix(div, l, v);
    }
    dimPMC(scenarioValue(p, 'pmc.enabled'));
    $$('#tabs .tab').forEach((b) => b.classList.toggle('active', b.dataset.panel === S.active));
    renderDesc();
    renderFieldErrors();
  }

  function renderDesc() {
    const p = S.panels[S.active];
    const sc = S.scenarios[p.base];
    let d = sc ? sc.description : '';
    if (S.lang === 'zh' && I18N.zh['desc:' + p.base]) d = I18N.zh['desc:' + p.base];
    $('#baseDesc').textContent = d;
  }

  // ---------------------------------------------------------------- messages

  function leverLabel(path) {
    const co = /^pmc\.cohorts\[(\d+)\]\.(share|step1|step2|step3|name|counties)$/.exec(path);
    if (co) return t('cohortField', { n: Number(co[1]) + 1, f: t('cohort' + co[2][0].toUpperCase() + co[2].slice(1)) });
    const key = 'lever:' + path;
    return I18N.en[key] ? t(key) : path;
  }

  function clearFieldError(div) {
    const m = $('.msg', div);
    m.textContent = '';
    div.classList.remove('bad');
  }

  function clearErrors(p) {
    p.errors = [];
    renderMessages(p);
    if (p.name === S.active) renderFieldErrors();
  }

  function renderFieldErrors() {
    const p = S.panels[S.active];
    for (const div of $$('#settings .lever, #settings .field')) {
      const m = $('.msg', div);
      if (!m) continue;
      m.textContent = '';
      div.classList.remove('bad');
    }
    for (const e of p.errors) {
      if (!e.path) continue;
      let div = $('#settings .lever[data-path="' + CSS.escape(e.path) + '"]');
      // A problem shown under a control that edits more than its field (a cohort's, under the
      // cohort table) says which field.
      let own = true;
      if (!div && e.path.startsWith('pmc.cohorts')) { div = $('#settings .lever[data-path="pmc.cohorts"]'); own = false; }
      if (!div && (e.path === 'preset' || e.path.startsWith('world'))) div = $('#preset').parentElement;
      if (!div) continue;
      const m = $('.msg', div);
      const text = own ? localMessage(e) : leverLabel(e.path) + (S.lang === 'zh' ? '：' : ': ') + localMessage(e, true);
      m.textContent = (m.textContent ? m.textContent + ' ' : '') + text;
      div.classList.add('bad');
    }
    for (const b of $$('#tabs .tab')) b.classList.toggle('bad', S.panels[b.dataset.panel].errors.length > 0);
  }

  function renderMessages(p) {
    const box = $('.messages', p.el);
    box.textContent = '';
    if (!p.errors.length) { box.hidden = true; return; }
    box.hidden = false;
    // Only a problem that names a setting is one to fix; the rest (the server busy, a run
    // expired) say what happened.
    const general = p.errors.filter((e) => e.general || !e.path);
    const fields = p.errors.filter((e) => !e.general && e.path);
    if (fields.length) {
      const h = document.createElement('b');
      h.textContent = t('errorsTitle');
      box.appendChild(h);
      const ul = document.createElement('ul');
      for (const e of fields) {
        const li = document.createElement('li');
        const label = leverLabel(e.path);
        const where = S.lang === 'zh' ? (label !== e.path ? label + '（' + e.path + '）' : e.path) + '：' : (label !== e.path ? label + ' (' + e.path + ')' : e.path) + ': ';
        li.textContent = where + localMessage(e, true);
        ul.appendChild(li);
      }
      box.appendChild(ul);
    }
    for (const e of general) {
      const div = document.createElement('div');
      div.className = 'notice';
      div.textContent = e.key ? t(e.key, e.args) : serverNotice(e);
      if (!e.key && div.textContent !== e.message) div.title = e.message;
      box.appendChild(div);
    }
  }

  // serverNotice puts a server problem that names no setting into the page's language: the
  // known ones by what they mean, any other by the server's own words in the page's language
  // (wholly Chinese on the Chinese page: without a Chinese from the server, a general notice).
  function serverNotice(e) {
    const m = String(e.message || '');
    if (/^no such run/.test(m)) return t('runGone');
    if (/the limit per browser|the server is already holding|runs waiting for their streams|your address already holds/.test(m)) return t('busy');
    if (/shutting down/.test(m)) return t('serverClosing');
    if (/already being scored/.test(m)) return t('scoreBusyAddr');
    if (S.lang === 'zh' && !e.message_zh) return t('serverRefusedPlain');
    return t('serverRefused', { e: S.lang === 'zh' ? e.message_zh : m });
  }

  function showProblems(p, errors) {
    p.errors = errors || [];
    renderMessages(p);
    renderFieldErrors();
  }

  // showGeneral shows a message of the page's own (by key, so that it follows the language).
  function showGeneral(p, key, args) {
    showProblems(p, [{ key, args, general: true }]);
  }

  // showAnswer shows a refused request's answer: by its status when that says it all (busy,
  // expired), else the server's problems.
  function showAnswer(p, status, body) {
    if (status === 429) showGeneral(p, 'busy');
    else if (status === 404) showGeneral(p, 'runGone');
    else showProblems(p, (body && body.errors) || [{ message: 'HTTP ' + status }]);
  }

  // ---------------------------------------------------------------- running

  async function runAll() {
    renderScores();
    stopStreams();
    S.clock = 0;
    S.playing = true;
    S.lastTs = null;
    S.timing = { start: performance.now(), firstDraw: null };
    for (const p of Object.values(S.panels)) { p.run = null; p.shown = 0; }
    S.dirty = true;
    updateTransport();
    await Promise.all(visiblePanels().map(startPanel));
  }

  async function startPanel(p) {
    p.errors = [];
    renderMessages(p);
    renderFieldErrors();
    const run = { meta: null, recs: [], done: false, failed: false, ctrl: new AbortController() };
    p.run = run;
    setState(p, 'running');
    let res;
    let body;
    // A busy server (429) frees a slot as soon as a run ends: wait and try again a few times.
    for (let attempt = 0; ; attempt++) {
      try {
        res = await fetch('api/run?panel=' + TAB + '-' + p.name, {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(request(p)), signal: run.ctrl.signal,
        });
        body = await res.json();
        if (res.status !== 429 || attempt >= 10) break;
        setState(p, 'waiting');
        await new Promise((ok) => setTimeout(ok, 700 + Math.random() * 600));
        if (run.ctrl.signal.aborted) return;
      } catch (e) {
        if (run.ctrl.signal.aborted) return;
        return fail(p, run, 'netError', { e: e.message });
      }
    }
    setState(p, 'running');
    if (res.status === 429) return fail(p, run, 'busy');
    if (!res.ok) {
      run.failed = true;
      setState(p, 'error');
      showAnswer(p, res.status, body);
      return;
    }
    await stream(p, run, body.stream, 1, true);
  }

  function fail(p, run, key, args) {
    if (p.run !== run) return;
    run.failed = true;
    setState(p, 'error');
    showGeneral(p, key, args);
  }

  async function stream(p, run, url, from, mayResume) {
    try {
      const res = await fetch(url + '?from=' + from, { signal: run.ctrl.signal });
      if (!res.ok) {
        const body = await res.json().catch(() => null);
        if (p.run !== run) return;
        run.failed = true;
        setState(p, 'error');
        showAnswer(p, res.status, body);
        return;
      }
      const reader = res.body.getReader();
      const dec = new TextDecoder();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += dec.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line) receive(p, run, JSON.parse(line));
        }
      }
    } catch (e) {
      if (run.ctrl.signal.aborted) return;
      if (mayResume && run.meta) return stream(p, run, url, run.recs.length + 1, false);
      return fail(p, run, 'streamError', { e: e.message });
    }
    if (!run.done && !run.failed && mayResume && run.meta) {
      return stream(p, run, url, run.recs.length + 1, false);
    }
  }

  function receive(p, run, rec) {
    if (p.run !== run) return;
    switch (rec.t) {
      case 'meta':
        if (!run.meta) {
          run.meta = rec;
          run.idx = {};
          rec.metrics.forEach((m, k) => { run.idx[m] = k; });
          $('.run-name', p.el).textContent = rec.name;
          $('.run-name', p.el).title = rec.name;
          buildGrid(p);
          updateTransport();
        }
        break;
      case 'month':
        run.recs.push(rec);
        S.dirty = true;
        if (run.recs.length === 1 && S.clock < 1) {
          S.clock = 1;
          draw();
          if (S.timing.firstDraw === null) S.timing.firstDraw = performance.now() - S.timing.start;
        }
        break;
      case 'end':
        run.done = true;
        S.dirty = true;
        break;
      case 'error':
        fail(p, run, 'streamError', { e: rec.message });
        break;
    }
  }

  function stopStreams() {
    for (const p of Object.values(S.panels)) if (p.run) p.run.ctrl.abort();
  }

  // horizon is the last month any shown run reaches; available the last month all have.
  function horizon() {
    let h = 0;
    for (const p of visiblePanels()) if (p.run && p.run.meta) h = Math.max(h, p.run.meta.months);
    return h;
  }

  function available() {
    let a = 0;
    for (const p of visiblePanels()) if (p.run) a = Math.max(a, p.run.recs.length);
    return a;
  }

  function allDone() {
    return visiblePanels().every((p) => !p.run || p.run.done || p.run.failed);
  }

  function frame(ts) {
    if (S.playing) {
      const dt = S.lastTs === null ? 0 : Math.min((ts - S.lastTs) / 1000, 0.25);
      const avail = available();
      const next = S.speed === Infinity ? avail : Math.min(S.clock + dt * S.speed, avail);
      if (Math.floor(next) !== Math.floor(S.clock)) S.dirty = true;
      S.clock = next;
      const h = horizon();
      if (allDone() && h > 0 && S.clock >= available()) {
        S.playing = false;
        S.dirty = true;
      }
    }
    S.lastTs = ts;
    if (S.dirty) draw();
    requestAnimationFrame(frame);
  }

  function draw() {
    S.dirty = false;
    const month = Math.floor(S.clock);
    const ranges = chartRanges();
    for (const p of visiblePanels()) {
      p.shown = p.run ? Math.min(month, p.run.recs.length) : 0;
      // Overlaid, B's lines are drawn dashed on A's charts, which then stand for both.
      const other = S.compare && S.overlay && p.name === 'A' ? S.panels.B : null;
      if (other) other.shown = other.run ? Math.min(month, other.run.recs.length) : 0;
      for (const fig of $$('.chart', p.el)) drawChart(p, fig, ranges[fig.dataset.chart], other);
      paintGrid(p);
      paintCounty(p);
      if (p.run && p.run.meta && !p.run.failed) {
        const finished = p.run.done && p.shown >= p.run.recs.length;
        setState(p, finished ? 'done' : 'running');
      }
    }
    updateTransport();
  }

  // ---------------------------------------------------------------- charts

  // chartRanges gives each chart one y range over every run shown, so A and B compare at
  // a glance; it covers all months received, so the axes hold still while the lines grow.
  function chartRanges() {
    const out = {};
    for (const [id, c] of Object.entries(CHARTS)) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const p of visiblePanels()) {
        if (!p.run || !p.run.meta) continue;
        for (let i = 0; i < p.run.recs.length; i++) {
          for (let gi = 0; gi < SERIES.length; gi++) {
            const v = value(p.run, c, i, gi);
            if (v === null) continue;
            if (v < lo) lo = v;
            if (v > hi) hi = v;
          }
        }
        // The debt chart draws the warning lines, so its axis reaches them; the hidden-debt
        // chart, which draws none, is scaled to its values.
        if (id === 'debt') hi = Math.max(hi, p.run.meta.red_ratio * 1.05);
        if (id === 'debt' || id === 'hidden') lo = Math.min(lo, 0);
      }
      if (id === 'approval' || id === 'cost' || id === 'fiscal') lo = Math.min(lo, 0);
      out[id] = lo <= hi ? niceRange(lo, hi) : null;
    }
    return out;
  }

  // value is chart c's value for group gi in month index i: the metric, or its trailing mean
  // over c.smooth months (empty months skipped).
  function value(run, c, i, gi) {
    const k = run.idx[c.metric];
    if (c.overRevenue) {
      const v = run.recs[i].v[gi];
      const e = v[run.idx.explicit_debt];
      const r = v[run.idx.debt_ratio];
      if (v[k] === null || e === null || r === null || e <= 0) return null;
      return (v[k] * r) / e;
    }
    if (!c.smooth) return run.recs[i].v[gi][k];
    let sum = 0;
    let n = 0;
    for (let j = Math.max(0, i - c.smooth + 1); j <= i; j++) {
      const v = run.recs[j].v[gi][k];
      if (v !== null) { sum += v; n++; }
    }
    return n ? sum / n : null;
  }

  function niceRange(lo, hi) {
    if (hi - lo < 1e-9) { hi += Math.abs(hi) * 0.1 + 1e-3; lo -= Math.abs(lo) * 0.1 + 1e-3; }
    const raw = (hi - lo) / 4;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw);
    return { lo: Math.floor(lo / step) * step, hi: Math.ceil(hi / step) * step, step };
  }

  function fitCanvas(canvas) {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(canvas.clientWidth, 100);
    const h = Math.max(canvas.clientHeight, 80);
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return { ctx, w, h };
  }

  function drawChart(p, fig, range, other) {
    const canvas = $('canvas', fig);
    const { ctx, w, h } = fitCanvas(canvas);
    const c = CHARTS[fig.dataset.chart];
    ctx.clearRect(0, 0, w, h);
    const L = 54, R = 8, T = 8, B = 22;
    const pw = w - L - R, ph = h - T - B;
    ctx.font = '13px system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
    ctx.strokeStyle = '#bbb';
    ctx.lineWidth = 1;
    ctx.strokeRect(L + 0.5, T + 0.5, pw, ph);
    const run = p.run;
    const legend = $('.legend', fig);
    const caption = t('chart:' + fig.dataset.chart) + ' (' + t('note:' + fig.dataset.chart) + ')';
    if (!run || !run.meta || !range) {
      ctx.fillStyle = '#888';
      ctx.textAlign = 'center';
      ctx.fillText(t('noData'), L + pw / 2, T + ph / 2);
      legend.textContent = '';
      fig.dataset.values = '';
      describe(canvas, caption + ': ' + t('noData'));
      return;
    }
    const meta = run.meta;
    const n = meta.months;
    const x = (m) => L + (pw * (m - 0.5)) / n;
    const y = (v) => T + ph - (ph * (v - range.lo)) / (range.hi - range.lo);
    // y grid and ticks
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    const decimals = tickDecimals(c, range.step);
    for (let i = 0; range.lo + i * range.step <= range.hi + range.step * 1e-6; i++) {
      const v = range.lo + i * range.step;
      const yy = Math.round(y(v)) + 0.5;
      ctx.strokeStyle = '#eee';
      ctx.beginPath(); ctx.moveTo(L + 1, yy); ctx.lineTo(L + pw, yy); ctx.stroke();
      ctx.fillStyle = '#555';
      ctx.fillText(fmt(c, v, decimals), L - 4, yy);
    }
    // x ticks: years
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const years = Math.ceil(n / 12);
    const every = Math.max(1, Math.ceil(years / Math.max(2, Math.floor(pw / 45))));
    for (let yr = 0; yr < years; yr += every) {
      const xx = Math.round(L + (pw * yr * 12) / n) + 0.5;
      ctx.strokeStyle = '#ccc';
      ctx.beginPath(); ctx.moveTo(xx, T + ph); ctx.lineTo(xx, T + ph + 3); ctx.stroke();
      ctx.fillStyle = '#555';
      ctx.fillText(String(meta.start_year + yr), xx, T + ph + 5);
    }
    // reform dates of every cohort, labelled step (cohort.step with several cohorts); labels
    // of the same month stack down so they never overprint
    if (meta.pmc && meta.cohorts.length) {
      ctx.setLineDash([3, 3]);
      ctx.textAlign = 'left';
      ctx.textBaseline = 'top';
      const marks = [];
      // The realised dates the model reports with each month (cohort_steps: the month each
      // cohort's first county entered steps 1-3, -1 not yet), as of the month shown; steps of
      // one cohort in the same month (one-shot) are one mark, the highest step.
      const realised = (p.shown > 0 && run.recs[p.shown - 1].cohort_steps) || [];
      realised.forEach((at, ci) => {
        at.forEach((m, i) => {
          const k = i + 1;
          if (m < 0 || m >= n || (k < 3 && at[k] === m)) return;
          marks.push({ xx: Math.round(L + (pw * m) / n) + 0.5, k, label: realised.length > 1 ? (ci + 1) + '.' + k : String(k) });
        });
      });
      marks.sort((a, b) => a.xx - b.xx);
      const rowEnd = [];
      for (const mk of marks) {
        ctx.strokeStyle = STEP_COLOURS[mk.k];
        ctx.beginPath(); ctx.moveTo(mk.xx, T); ctx.lineTo(mk.xx, T + ph); ctx.stroke();
        let row = 0;
        while (rowEnd[row] !== undefined && rowEnd[row] > mk.xx) row++;
        rowEnd[row] = mk.xx + 4 + ctx.measureText(mk.label).width;
        ctx.fillStyle = STEP_COLOURS[3];
        ctx.fillText(mk.label, mk.xx + 2, T + 2 + 15 * row);
      }
      ctx.setLineDash([]);
    }
    if (fig.dataset.chart === 'debt') {
      ctx.setLineDash([6, 4]);
      for (const [v, col] of [[meta.yellow_ratio, WARN_COLOURS[1]], [meta.red_ratio, WARN_COLOURS[2]]]) {
        if (v < range.lo || v > range.hi) continue;
        ctx.strokeStyle = col;
        ctx.beginPath(); ctx.moveTo(L + 1, y(v)); ctx.lineTo(L + pw, y(v)); ctx.stroke();
      }
      ctx.setLineDash([]);
    }
    // the lines, up to the month shown
    const shown = p.shown;
    const last = {};
    ctx.save();
    ctx.beginPath();
    ctx.rect(L, T, pw, ph);
    ctx.clip();
    ctx.lineJoin = 'round';
    const lastB = {};
    if (other && other.run && other.run.meta) {
      // B dashed, under A's solid lines.
      SERIES.forEach((s, gi) => {
        ctx.strokeStyle = s.colour;
        ctx.lineWidth = s.width;
        ctx.setLineDash([7, 4]);
        ctx.beginPath();
        let pen = false;
        for (let i = 0; i < other.shown; i++) {
          const v = value(other.run, c, i, gi);
          if (v === null) { pen = false; continue; }
          const xx = x(other.run.recs[i].month), yy = y(v);
          if (pen) ctx.lineTo(xx, yy); else ctx.moveTo(xx, yy);
          pen = true;
        }
        ctx.stroke();
        lastB[s.group] = other.shown > 0 ? value(other.run, c, other.shown - 1, gi) : null;
      });
      ctx.setLineDash([]);
    }
    SERIES.forEach((s, gi) => {
      ctx.strokeStyle = s.colour;
      ctx.lineWidth = s.width;
      ctx.setLineDash(other ? [] : s.dash);
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i < shown; i++) {
        const v = value(run, c, i, gi);
        if (v === null) { pen = false; continue; }
        const xx = x(run.recs[i].month), yy = y(v);
        if (pen) ctx.lineTo(xx, yy); else ctx.moveTo(xx, yy);
        pen = true;
      }
      ctx.stroke();
      ctx.setLineDash([]);
      const v = shown > 0 ? value(run, c, shown - 1, gi) : null;
      last[s.group] = v;
      if (v !== null && shown > 0) {
        ctx.fillStyle = s.colour;
        ctx.beginPath();
        ctx.arc(x(run.recs[shown - 1].month), y(v), 3, 0, 2 * Math.PI);
        ctx.fill();
      }
    });
    ctx.restore();
    // the month shown
    if (shown > 0) {
      const xx = Math.round(x(run.recs[shown - 1].month)) + 0.5;
      ctx.strokeStyle = 'rgba(0,0,0,0.25)';
      ctx.beginPath(); ctx.moveTo(xx, T); ctx.lineTo(xx, T + ph); ctx.stroke();
    }
    fig.dataset.values = JSON.stringify(last);
    fig.dataset.range = JSON.stringify([range.lo, range.hi]);
    fig.dataset.overlay = other ? JSON.stringify(lastB) : '';
    renderLegend(legend, c, last, meta);
    describe(canvas, caption + (shown > 0 ? ', ' + t('clock', { m: run.recs[shown - 1].month, n, y: run.recs[shown - 1].year }) : '') + ': ' +
      SERIES.map((s) => t('series:' + s.group) + ' ' + (last[s.group] === null || last[s.group] === undefined ? '–' : fmt(c, last[s.group]))).join(', '));
    if (other) {
      const key = document.createElement('div');
      key.className = 'key overlay-key';
      key.textContent = t('overlayA') + ' · ' + t('overlayB') + ': ' +
        SERIES.map((s) => t('series:' + s.group) + ' ' + (lastB[s.group] === null || lastB[s.group] === undefined ? '–' : fmt(c, lastB[s.group]))).join(' · ');
      legend.appendChild(key);
    }
  }

  function renderLegend(legend, c, last, meta) {
    const pilots = (meta.pilot.match(/1/g) || []).length;
    const parts = SERIES.map((s) => {
      const v = last[s.group];
      const n = s.group === 'pilot' ? pilots : s.group === 'non-pilot' ? meta.pilot.length - pilots : meta.pilot.length;
      return '<span class="key"><i class="swatch ' + (s.dash.length ? 'dashed' : '') + '" data-colour="' + s.group + '"></i>' +
        escapeHTML(t('series:' + s.group)) + ' <small>(' + n + ')</small> <b>' + (v === null || v === undefined ? '–' : fmt(c, v)) + '</b></span>';
    });
    legend.innerHTML = parts.join(' ');
  }

  function escapeHTML(s) {
    return String(s).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[ch]));
  }

  // ---------------------------------------------------------------- county grid

  function buildGrid(p) {
    const meta = p.run.meta;
    const grid = $('.grid', p.el);
    grid.textContent = '';
    p.gridCells = new Array(meta.county_names.length);
    const title = $('.map figcaption b', p.el);
    title.dataset.i18n = meta.map ? 'geoTitle' : 'mapTitle';
    title.textContent = t(title.dataset.i18n);
    $('.geo-note', p.el).hidden = !meta.map;
    if (meta.map) return buildGeo(p, grid, meta);
    grid.classList.remove('geo');
    const boxes = meta.prefectures.map((name, j) => {
      const box = document.createElement('div');
      box.className = 'pref';
      box.title = name;
      const label = document.createElement('span');
      label.className = 'pref-label';
      label.dataset.pref = String(j + 1);
      label.textContent = t('prefShort', { n: j + 1 });
      const cells = document.createElement('div');
      cells.className = 'cells';
      box.append(label, cells);
      grid.appendChild(box);
      return cells;
    });
    meta.county_names.forEach((name, i) => {
      const cell = document.createElement('span');
      cell.className = 'cell' + (meta.pilot[i] === '1' ? ' pilot' : '');
      cell.dataset.name = name;
      cell.dataset.county = String(i);
      openable(cell, () => { p.county = i; S.dirty = true; });
      boxes[meta.county_pref[i]].appendChild(cell);
      p.gridCells[i] = cell;
    });
    p.county = null;
    // Size the cells so a province fills the box without scrolling.
    const n = meta.county_names.length;
    grid.dataset.size = n > 120 ? 's' : n > 60 ? 'm' : 'l';
  }

  // buildGeo draws a real world's schematic map (geo.LayoutOf): the prefecture outlines
  // and one circle per county, which paintGrid colours like the grid's cells.
  function buildGeo(p, grid, meta) {
    const NS = 'http://www.w3.org/2000/svg';
    const m = meta.map;
    grid.classList.add('geo');
    grid.dataset.size = '';
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + m.width + ' 1');
    svg.setAttribute('class', 'geo-map');
    svg.setAttribute('role', 'img');
    for (const ring of m.rings) {
      const poly = document.createElementNS(NS, 'polygon');
      poly.setAttribute('points', ring.map((q) => q[0] + ',' + q[1]).join(' '));
      poly.setAttribute('class', 'geo-pref');
      svg.appendChild(poly);
    }
    meta.county_names.forEach((name, i) => {
      const c = document.createElementNS(NS, 'circle');
      c.setAttribute('cx', m.counties[i][0]);
      c.setAttribute('cy', m.counties[i][1]);
      c.setAttribute('r', m.radius);
      c.setAttribute('class', 'cell' + (meta.pilot[i] === '1' ? ' pilot' : ''));
      c.dataset.name = name;
      c.dataset.county = String(i);
      c.appendChild(document.createElementNS(NS, 'title'));
      openable(c, () => { p.county = i; S.dirty = true; });
      svg.appendChild(c);
      p.gridCells[i] = c;
    });
    grid.appendChild(svg);
    p.county = null;
  }

  // openable makes a county's cell or marker a button: focusable, opened by a click, Enter or
  // Space.
  function openable(el, open) {
    el.setAttribute('tabindex', '0');
    el.setAttribute('role', 'button');
    el.addEventListener('click', open);
    el.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(); }
    });
  }

  // setTip sets the hover text of a grid cell or a map circle (whose tip is its <title>), which
  // is also its name for a screen reader.
  function setTip(cell, text) {
    if (cell.firstChild && cell.firstChild.nodeName === 'title') {
      if (cell.firstChild.textContent !== text) cell.firstChild.textContent = text;
    } else if (cell.title !== text) {
      cell.title = text;
    }
    if (cell.getAttribute('aria-label') !== text) cell.setAttribute('aria-label', text);
  }

  // describe gives a canvas its text alternative (role img, aria-label), set when it changes.
  function describe(canvas, text) {
    if (canvas.getAttribute('role') !== 'img') canvas.setAttribute('role', 'img');
    if (canvas.getAttribute('aria-label') !== text) canvas.setAttribute('aria-label', text);
  }

  // hiddenCodes gives each county a digit for its hidden debt measured against the lines of the
  // debt warning (which counts explicit debt only): 0 none, 1 below the yellow line, 2 at or
  // above it, 3 at or above the red line; hidden debt over the county's annual revenue, the
  // debt ratio's denominator, from the county's own values in the month record.
  function hiddenCodes(run, rec) {
    const kh = run.meta.county_metrics.indexOf('hidden_debt');
    const kr = run.meta.county_metrics.indexOf('annual_revenue');
    const meta = run.meta;
    let out = '';
    for (const row of rec.cv || []) {
      const h = row[kh], rev = row[kr];
      let code = 0;
      if (h > 0) {
        const ratio = rev > 0 ? h / rev : Infinity; // no revenue: any hidden debt is past every line
        code = ratio >= meta.red_ratio ? 3 : ratio >= meta.yellow_ratio ? 2 : 1;
      }
      out += code;
    }
    return out;
  }

  function paintGrid(p) {
    const legend = $('.map-legend', p.el);
    if (!p.run || !p.run.meta) {
      $('.grid', p.el).textContent = '';
      legend.textContent = '';
      return;
    }
    const rec = p.shown > 0 ? p.run.recs[p.shown - 1] : null;
    const codes = rec ? (S.colourBy === 'step' ? rec.step : S.colourBy === 'warn' ? rec.warn : hiddenCodes(p.run, rec)) : null;
    const keys = S.colourBy === 'step' ? ['step0', 'step1', 'step2', 'step3'] : S.colourBy === 'warn' ? ['warn0', 'warn1', 'warn2'] : ['hid0', 'hid1', 'hid2', 'hid3'];
    const counts = keys.map(() => 0);
    p.gridCells.forEach((cell, i) => {
      const key = codes ? keys[Number(codes[i])] : 'none';
      if (codes) counts[Number(codes[i])]++;
      if (cell.dataset.c !== key) cell.dataset.c = key;
      setTip(cell, cell.dataset.name + (codes ? ': ' + t(key) : '') + (cell.classList.contains('pilot') ? ' · ' + t('pilotMark') : ''));
    });
    const items = keys.map((key, code) =>
      '<span class="key"><i class="cell" data-c="' + key + '"></i>' + escapeHTML(t(key)) + ' <b>' + (codes ? counts[code] : '–') + '</b></span>');
    items.push('<span class="key"><i class="cell pilot" data-c="none"></i>' + escapeHTML(t('pilotMark')) + '</span>');
    legend.innerHTML = items.join(' ');
  }

  // COUNTY_CHARTS are the small charts of a clicked county, by metric of the stream's cv.
  const COUNTY_CHARTS = [
    { metric: 'approval_days', key: 'chart:approval', pct: false, digits: 0 },
    { metric: 'self_sufficiency', key: 'chart:fiscal', pct: true, digits: 1 },
    { metric: 'debt_ratio', key: 'chart:debt', pct: false, digits: 2 },
    { metric: 'hidden_debt', key: 'countyHidden', pct: false, digits: 0 },
    { metric: 'growth', key: 'chart:growth', pct: true, digits: 1, smooth: 12 },
  ];

  // paintCounty shows the clicked county's own series and its PMC path (its step and debt
  // warning month by month) up to the month shown.
  function paintCounty(p) {
    const box = $('.county-detail', p.el);
    const run = p.run;
    if (!run || !run.meta || p.county === null || p.county === undefined || !run.meta.county_metrics) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    const i = p.county;
    const meta = run.meta;
    const n = meta.months;
    const shown = p.shown;
    $('.county-name', box).textContent = meta.county_names[i];
    $('.county-info', box).textContent = t('prefShort', { n: meta.county_pref[i] + 1 }) + (meta.pilot[i] === '1' ? ' · ' + t('pilotMark') : '');
    $('.county-close', box).onclick = () => { p.county = null; S.dirty = true; };
    for (const c of p.gridCells) c.classList.toggle('chosen', Number(c.dataset.county) === i);
    // The path: one strip of PMC steps, one of debt warnings.
    const path = $('.county-path', box);
    const pc = fitCanvas(path);
    pc.ctx.clearRect(0, 0, pc.w, pc.h);
    const half = Math.floor(pc.h / 2);
    const steps = [];
    for (let m = 0; m < shown; m++) {
      const x0 = (pc.w * m) / n, x1 = (pc.w * (m + 1)) / n + 0.5;
      const st = Number(run.recs[m].step[i]);
      pc.ctx.fillStyle = STEP_COLOURS[st];
      pc.ctx.fillRect(x0, 0, x1 - x0, half - 1);
      pc.ctx.fillStyle = WARN_COLOURS[Number(run.recs[m].warn[i])];
      pc.ctx.fillRect(x0, half + 1, x1 - x0, pc.h - half - 1);
      if (m === 0 || st !== Number(run.recs[m - 1].step[i])) steps.push(meta.start_year + Math.floor(m / 12) + ': ' + t('step' + st));
    }
    path.dataset.steps = steps.join(' → ');
    path.title = steps.join(' → ');
    describe(path, t('countyPath') + ' ' + steps.join(' → '));
    $('.county-path-label', box).textContent = t('countyPath') + (steps.length ? ' ' + steps.join(' → ') : '');
    // The county's own series.
    const charts = $('.county-charts', box);
    if (charts.children.length !== COUNTY_CHARTS.length) {
      charts.textContent = '';
      for (const cc of COUNTY_CHARTS) {
        const fig = document.createElement('figure');
        fig.className = 'county-chart';
        fig.dataset.metric = cc.metric;
        fig.innerHTML = '<figcaption></figcaption><canvas></canvas>';
        charts.appendChild(fig);
      }
    }
    const values = {};
    COUNTY_CHARTS.forEach((cc, ci) => {
      const fig = charts.children[ci];
      const k = meta.county_metrics.indexOf(cc.metric);
      const series = [];
      for (let m = 0; m < shown; m++) {
        let v = run.recs[m].cv ? run.recs[m].cv[i][k] : null;
        if (cc.smooth && v !== null) {
          let sum = 0, cnt = 0;
          for (let j = Math.max(0, m - cc.smooth + 1); j <= m; j++) {
            const u = run.recs[j].cv[i][k];
            if (u !== null) { sum += u; cnt++; }
          }
          v = cnt ? sum / cnt : null;
        }
        series.push(v);
      }
      const last = series.length ? series[series.length - 1] : null;
      values[cc.metric] = last;
      const label = t(cc.key).replace(/^[^:：]*[:：]\s*/, '');
      $('figcaption', fig).textContent = label + (last === null ? '' : ': ' + fmt(cc, last));
      describe($('canvas', fig), $('figcaption', fig).textContent);
      const { ctx, w, h } = fitCanvas($('canvas', fig));
      ctx.clearRect(0, 0, w, h);
      ctx.strokeStyle = '#ccc';
      ctx.strokeRect(0.5, 0.5, w - 1, h - 1);
      const fin = series.filter((v) => v !== null);
      if (!fin.length) return;
      let lo = Math.min(...fin), hi = Math.max(...fin);
      if (hi - lo < 1e-9) { lo -= 1; hi += 1; }
      ctx.strokeStyle = meta.pilot[i] === '1' ? '#e66a10' : '#1f6fb4';
      ctx.lineWidth = 2;
      ctx.beginPath();
      let pen = false;
      series.forEach((v, m) => {
        if (v === null) { pen = false; return; }
        const xx = 2 + ((w - 4) * (m + 0.5)) / n, yy = h - 3 - ((h - 6) * (v - lo)) / (hi - lo);
        if (pen) ctx.lineTo(xx, yy); else ctx.moveTo(xx, yy);
        pen = true;
      });
      ctx.stroke();
      // the range drawn, top and bottom
      ctx.font = '13px system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
      ctx.fillStyle = '#666';
      ctx.textAlign = 'right';
      ctx.textBaseline = 'top';
      ctx.fillText(fmt(cc, hi), w - 3, 2);
      ctx.textBaseline = 'bottom';
      ctx.fillText(fmt(cc, lo), w - 3, h - 1);
    });
    box.dataset.values = JSON.stringify(values);
  }

  // scoreCard asks the server to score the panel's settings on the five aims against the
  // no-reform counterfactual (paired runs) and shows the table. The scorecard belongs to the
  // settings it scored: it is kept (p.score) with the request sent and the answer in each
  // language asked for, and shown only while the panel's settings are still those.
  function scoreCard(p) {
    p.score = { req: JSON.stringify(request(p)), answers: {}, asking: {} };
    askScore(p, p.score, S.lang);
  }

  async function askScore(p, score, lang) {
    score.asking[lang] = true;
    renderScore(p);
    let res, body;
    try {
      res = await fetch('api/scorecard?lang=' + lang, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: score.req,
      });
      body = await res.json();
    } catch (e) {
      body = { failed: { key: 'netError', args: { e: e.message } } };
    }
    score.asking[lang] = false;
    if (p.score !== score) return; // scored again since
    if (body.failed) score.failed = body.failed;
    else if (!res.ok) {
      score.failed = { key: res.status === 429 ? 'busy' : null };
      if (res.status !== 429) showProblems(p, body.errors);
    } else {
      score.failed = null;
      score.answers[lang] = body;
      clearErrors(p);
    }
    renderScore(p);
  }

  // scoreFresh reports whether the panel's scorecard scored its settings as they are now.
  function scoreFresh(p) {
    return !!p.score && p.score.req === JSON.stringify(request(p));
  }

  // renderScore shows the panel's scorecard in the page's language (asking the server for it in
  // this language, for the same settings, if need be), or says it is out of date.
  function renderScore(p) {
    const state = $('.score-state', p.el);
    const table = $('.score-table', p.el);
    const score = p.score;
    table.hidden = true;
    p.el.dataset.score = !score ? '' : scoreFresh(p) ? 'fresh' : 'stale';
    if (!score) { state.textContent = ''; return; }
    if (!scoreFresh(p)) { state.textContent = t('scoreStale'); return; }
    const body = score.answers[S.lang];
    if (!body) {
      if (score.asking[S.lang]) state.textContent = t('scoreBusy');
      else if (score.failed) state.textContent = score.failed.key ? t(score.failed.key, score.failed.args) : '';
      else askScore(p, score, S.lang);
      return;
    }
    if (body.no_reform) { state.textContent = t('scoreNoReform'); return; }
    state.textContent = t('scoreReps', { n: body.reps });
    table.textContent = '';
    const head = document.createElement('tr');
    for (const k of ['scoreAim', 'scoreMeasured', 'scoreLevel', 'scoreChange', 'scoreVerdict']) {
      const th = document.createElement('th');
      th.textContent = t(k);
      head.appendChild(th);
    }
    table.appendChild(head);
    for (const r of body.rows) {
      const tr = document.createElement('tr');
      tr.dataset.verdict = r.verdict;
      for (const v of [r.criterion, r.metrics, r.level, r.change, r.word]) {
        const td = document.createElement('td');
        td.textContent = v;
        tr.appendChild(td);
      }
      tr.lastChild.className = 'verdict';
      table.appendChild(tr);
    }
    table.hidden = false;
  }

  // renderScores marks every scorecard whose settings changed since it was scored.
  function renderScores() {
    for (const p of Object.values(S.panels)) {
      if (p.score && (p.el.dataset.score === 'fresh') !== scoreFresh(p)) renderScore(p);
    }
  }

  function renderColourButtons() {
    for (const b of $$('.colour-by button')) {
      b.classList.toggle('active', b.dataset.colour === S.colourBy);
      b.setAttribute('aria-pressed', String(b.dataset.colour === S.colourBy));
    }
  }

  // ---------------------------------------------------------------- transport

  function updateTransport() {
    const h = horizon();
    const month = Math.floor(S.clock);
    const scrub = $('#scrub');
    scrub.max = String(Math.max(h, 1));
    scrub.min = '1';
    scrub.value = String(Math.max(month, 1));
    scrub.disabled = h === 0;
    const p = visiblePanels().find((q) => q.run && q.run.meta);
    if (!p || month < 1) $('#clock').textContent = t('clockIdle');
    else {
      const year = p.run.meta.start_year + Math.floor((month - 1) / 12);
      $('#clock').textContent = t('clock', { m: month, n: h, y: year });
    }
    const pause = $('#pause');
    pause.dataset.i18n = S.playing ? 'pause' : 'play';
    pause.textContent = t(pause.dataset.i18n);
    pause.disabled = h === 0;
    $('#step').disabled = h === 0;
  }

  function togglePlay() {
    if (S.playing) { S.playing = false; }
    else {
      if (Math.floor(S.clock) >= horizon()) S.clock = 1;
      S.playing = true;
      S.lastTs = null;
    }
    S.dirty = true;
    updateTransport();
  }

  function stepOne() {
    S.playing = false;
    S.clock = Math.min(Math.floor(S.clock) + 1, available());
    S.dirty = true;
  }

  function resetAll() {
    stopStreams();
    S.playing = false;
    S.clock = 0;
    for (const p of Object.values(S.panels)) {
      p.run = null;
      p.shown = 0;
      p.gridCells = [];
      $('.run-name', p.el).textContent = '';
      setState(p, 'idle');
    }
    S.dirty = true;
  }

  // ---------------------------------------------------------------- downloads

  function save(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 5000);
  }

  // csvText is the panel's series in the tidy form of series.csv: month, year, group, metric,
  // value, for every month received.
  function csvText(p) {
    if (!p.run || !p.run.meta) return '';
    const meta = p.run.meta;
    const lines = ['month,year,group,metric,value'];
    for (const r of p.run.recs) {
      meta.groups.forEach((g, gi) => {
        meta.metrics.forEach((m, k) => {
          const v = r.v[gi][k];
          lines.push(r.month + ',' + r.year + ',' + g + ',' + m + ',' + (v === null ? '' : v));
        });
      });
    }
    return lines.join('\n') + '\n';
  }

  function downloadCSV(p) {
    if (!p.run || !p.run.recs.length) { showGeneral(p, 'noData'); return; }
    save(new Blob([csvText(p)], { type: 'text/csv' }), p.run.meta.name + '-' + p.name + '.csv');
  }

  async function downloadYAML(p) {
    let res;
    try {
      res = await fetch('api/scenario.yaml', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request(p)),
      });
    } catch (e) {
      showGeneral(p, 'netError', { e: e.message });
      return;
    }
    if (!res.ok) { showAnswer(p, res.status, await res.json().catch(() => null)); return; }
    const m = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
    save(await res.blob(), m ? m[1] : 'scenario.yaml');
  }

  // ---------------------------------------------------------------- language

  function applyLanguage() {
    document.documentElement.lang = S.lang;
    for (const a of $$('a[href^="model.html"]')) a.href = 'model.html?lang=' + S.lang;
    document.title = t('title');
    for (const el of $$('[data-i18n]')) el.textContent = t(el.dataset.i18n);
    for (const el of $$('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
    for (const o of $$('#speed option')) o.textContent = o.value === 'max' ? t('speedMax') : t('speedN', { n: o.value });
    for (const o of $$('#base option')) o.textContent = t('scen:' + o.value);
    for (const o of $$('#preset option')) {
      const pr = S.presets.find((x) => x.name === o.value);
      o.textContent = t('preset:' + o.value) + ' · ' + t('counties', { n: pr ? pr.counties : '?' });
    }
    for (const el of $$('.pref-label')) el.textContent = t('prefShort', { n: el.dataset.pref });
    for (const fc of $$('.chart figcaption')) fc.title = $('b', fc).textContent + ': ' + $('small', fc).textContent;
    for (const p of Object.values(S.panels)) {
      setState(p, p.el.dataset.state);
      renderMessages(p);
      renderScore(p);
    }
    renderDesc();
    renderFieldErrors();
    for (const div of $$('#settings .lever')) {
      const l = S.levers.find((x) => x.path === div.dataset.path);
      updateSuffix(div, l, scenarioValue(S.panels[S.active], l.path));
    }
    S.dirty = true;
    updateTransport();
  }

  // missingTranslations lists the keys one language has and the other lacks, and the keys
  // the page uses that neither has (the browser tests expect none).
  function missingTranslations() {
    const out = [];
    for (const k of Object.keys(I18N.en)) if (!(k in I18N.zh)) out.push('zh:' + k);
    for (const k of Object.keys(I18N.zh)) if (!(k in I18N.en) && !k.startsWith('desc:')) out.push('en:' + k);
    for (const el of $$('[data-i18n]')) if (!(el.dataset.i18n in I18N.en)) out.push('page:' + el.dataset.i18n);
    for (const el of $$('[data-i18n-title]')) if (!(el.dataset.i18nTitle in I18N.en)) out.push('page:' + el.dataset.i18nTitle);
    for (const pr of S.presets) if (!I18N.en['preset:' + pr.name]) out.push('preset:' + pr.name);
    return out.concat(S.untranslated);
  }

  // ---------------------------------------------------------------- start

  async function getJSON(url) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(url + ': ' + res.status);
    return res.json();
  }

  async function start() {
    const [levers, presets, scen] = await Promise.all([getJSON('api/levers'), getJSON('api/presets'), getJSON('api/scenarios')]);
    S.levers = levers;
    // The levers' labels are declared with their fields in sim/config.go and come from the server.
    for (const l of levers) {
      I18N.en['lever:' + l.path] = l.label;
      I18N.zh['lever:' + l.path] = l.label_zh;
    }
    S.presets = presets;
    S.defaultScenario = scen.default;
    for (const sc of scen.scenarios) {
      S.scenarios[sc.name] = sc;
      S.scenarioOrder.push(sc.name);
      // Unknown built-ins (added after this page was written) show their own name; the browser
      // tests expect none.
      if (!I18N.zh['scen:' + sc.name] || !I18N.zh['desc:' + sc.name]) S.untranslated.push('scenario:' + sc.name);
      if (!I18N.en['scen:' + sc.name]) { I18N.en['scen:' + sc.name] = sc.name; I18N.zh['scen:' + sc.name] = sc.name; }
    }
    S.panels.A = newPanel('A');
    S.panels.B = newPanel('B');
    S.panels.B.el.hidden = true;
    buildSettings();

    $('#run').addEventListener('click', runAll);
    $('#pause').addEventListener('click', togglePlay);
    $('#step').addEventListener('click', stepOne);
    $('#reset').addEventListener('click', resetAll);
    $('#speed').addEventListener('change', (e) => { S.speed = e.target.value === 'max' ? Infinity : Number(e.target.value); });
    $('#scrub').addEventListener('input', (e) => {
      S.playing = false;
      S.clock = Math.min(Number(e.target.value), available());
      S.dirty = true;
    });
    $('#lang').addEventListener('click', () => {
      S.lang = S.lang === 'en' ? 'zh' : 'en';
      // Kept in the address (?lang=), which the server reads: a reload keeps the language.
      const u = new URL(location.href);
      u.searchParams.set('lang', S.lang);
      history.replaceState(history.state, '', u);
      applyLanguage();
    });
    $('#overlay').addEventListener('change', (e) => {
      S.overlay = e.target.checked;
      document.body.classList.toggle('overlaying', S.overlay);
      S.dirty = true;
    });
    $('#compare').addEventListener('change', (e) => {
      S.compare = e.target.checked;
      $('#overlaySwitch').hidden = !S.compare;
      S.panels.B.el.hidden = !S.compare;
      $('#tabs').hidden = !S.compare;
      document.body.classList.toggle('comparing', S.compare);
      if (!S.compare) S.active = 'A';
      loadSettings();
      S.dirty = true;
    });
    for (const b of $$('#tabs .tab')) b.addEventListener('click', () => { S.active = b.dataset.panel; loadSettings(); });
    $('#copyAB').addEventListener('click', () => {
      const a = S.panels.A, b = S.panels.B;
      b.base = a.base;
      b.preset = a.preset;
      b.touched = Object.assign({}, a.touched);
      b.extra = a.extra;
      S.active = 'B';
      clearErrors(b);
      loadSettings();
    });
    window.addEventListener('resize', () => { S.dirty = true; });
    // Any change of settings (after the control's own handler) puts a scorecard of other
    // settings out of date.
    for (const ev of ['input', 'change', 'click']) $('#settings').addEventListener(ev, renderScores);

    renderColourButtons();
    loadSettings();
    applyLanguage();
    for (const p of Object.values(S.panels)) setState(p, 'idle');
    requestAnimationFrame(frame);
    document.body.dataset.ready = '1';
  }

  // A small handle for the browser tests and for the curious in the console.
  window.countysim = {
    state: S,
    missingTranslations,
    csv: (name) => csvText(S.panels[name]),
    chartValues: (name, chart) => {
      const fig = $('#panel-' + name + ' .chart[data-chart="' + chart + '"]');
      return fig && fig.dataset.values ? JSON.parse(fig.dataset.values) : null;
    },
    shown: (name) => S.panels[name].shown,
  };

  start().catch((e) => {
    document.body.dataset.ready = 'error';
    const box = document.createElement('p');
    box.className = 'fatal';
    box.textContent = t('netError', { e: e.message });
    $('#stage').prepend(box);
  });
})();
