package story

import (
	"strings"
	"sync"

	"github.com/newswatch/newswatch/topic"
)

// months maps normalised month names of the languages newswatch reads to
// their number. Vietnamese writes "tháng 11", which date reads itself.
var months = sync.OnceValue(func() map[string]int {
	m := map[string]int{}
	for _, list := range []string{
		"january february march april may june july august september october november december",
		"jan feb mar apr may jun jul aug sep oct nov dec",
		"janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
		"enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
		"janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
		"januar februar märz april mai juni juli august september oktober november dezember",
		"января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
		"январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
		"يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
		"- شباط آذار نيسان أيار حزيران تموز آب أيلول - - -",
	} {
		for i, w := range strings.Fields(list) {
			if w != "-" {
				m[topic.Normalize(w)] = i + 1
			}
		}
	}
	m["sept"], m["setiembre"], m["ابريل"] = 9, 9, 4
	return m
})

// scales maps normalised words and characters for thousand, million and
// billion to their value.
var scales = sync.OnceValue(func() map[string]float64 {
	m := map[string]float64{}
	for v, list := range map[float64]string{
		1e3: "thousand thousands nghìn ngàn mil mille тысяч тысячи тыс ألف آلاف 千",
		1e4: "万",
		1e6: "million millions mln m triệu millón millones milhão milhões millionen миллион миллиона миллионов млн مليون ملايين 百万",
		1e8: "亿",
		1e9: "billion billions bn tỷ tỉ milliard milliards miliardo bilhão bilhões milliarden миллиард миллиарда миллиардов млрд مليار مليارات",
	} {
		for _, w := range strings.Fields(list) {
			m[topic.Normalize(w)] = v
		}
	}
	return m
})
