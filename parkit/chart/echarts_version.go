package chart

// EChartsVersion is the ECharts JavaScript version the charts are written
// for and the one the fallback loader asks public CDNs for. It mirrors
// ECHARTS_JS_VERSION in versions.env (a test checks that they agree).
const EChartsVersion = "6.1.0"
