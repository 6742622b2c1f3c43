package newstest

import "time"

// corpusOther holds articles in the other VietnamPlus languages, used by
// the generated benchmark sites.
var corpusOther = []CorpusPage{
	{Topics: traffickingUN, Page: Page{
		ID: 5001, Slug: "le-vietnam-et-l-onu-renforcent-la-lutte-contre-la-traite", Lang: "fr", Section: "Société",
		Title:     "Le Vietnam et l'ONU renforcent la lutte contre la traite des êtres humains",
		Sapo:      "Le ministère de la Sécurité publique et des agences des Nations unies ont lancé un programme de trois ans pour prévenir la traite des êtres humains dans les provinces frontalières.",
		Author:    "VNA",
		Published: at(time.November, 26, 9, 30),
		Body: []string{
			"Hanoï (VNA) – Le ministère de la Sécurité publique, l'Office des Nations unies contre la drogue et le crime et l'Organisation internationale pour les migrations ont lancé le 25 novembre un programme visant à renforcer la prévention de la traite des êtres humains dans douze provinces frontalières.",
			"Selon le vice-ministre, les réseaux recrutent de plus en plus leurs victimes sur les réseaux sociaux au moyen de fausses offres d'emploi, attirant des jeunes vers le travail forcé dans des centres d'escroquerie en ligne à l'étranger.",
			"Le programme formera plus de 2 000 gardes-frontières, policiers et travailleurs sociaux à l'identification des victimes et à leur orientation vers des services de protection.",
			"Il financera également des foyers d'accueil et des formations professionnelles afin que les survivants puissent retourner dans leur communauté.",
		},
	}},
	{Page: Page{
		ID: 5002, Slug: "las-exportaciones-de-vietnam-crecen-un-14-por-ciento", Lang: "es", Section: "Economía",
		Title:     "Las exportaciones de Vietnam crecen un 14 por ciento en once meses",
		Sapo:      "El volumen de exportaciones de Vietnam alcanzó 438 mil millones de dólares en los primeros once meses del año, impulsado por la electrónica y los productos agrícolas.",
		Author:    "VNA",
		Published: at(time.November, 26, 8, 45),
		Body: []string{
			"Hanói (VNA) – Las exportaciones de Vietnam alcanzaron los 438 mil millones de dólares en los primeros once meses de 2026, un aumento del 14 por ciento interanual, según la Oficina General de Estadísticas.",
			"Los teléfonos y componentes electrónicos encabezaron la lista de productos exportados, seguidos por la maquinaria, los textiles y el calzado, mientras que el café y el arroz registraron precios récord.",
			"Estados Unidos siguió siendo el mayor mercado de exportación de Vietnam, mientras que China se mantuvo como su principal proveedor.",
			"Los economistas advierten, sin embargo, que las tensiones comerciales mundiales podrían frenar el crecimiento el próximo año.",
		},
		Related: []string{"Vietnam y la ONU intensifican la lucha contra la trata de personas", "Rescatan a víctimas de trata de personas en Myanmar"},
	}},
	{Topics: traffickingUN, Page: Page{
		ID: 5003, Slug: "vetnam-i-oon-usilivayut-borbu-s-torgovley-lyudmi", Lang: "ru", Section: "Общество",
		Title:     "Вьетнам и ООН усиливают борьбу с торговлей людьми",
		Sapo:      "Министерство общественной безопасности Вьетнама и агентства Организации Объединённых Наций запустили трёхлетнюю программу по предотвращению торговли людьми.",
		Author:    "VNA",
		Published: at(time.November, 26, 9, 50),
		Body: []string{
			"Ханой (VNA) – Министерство общественной безопасности, Управление ООН по наркотикам и преступности и Международная организация по миграции 25 ноября запустили программу по предотвращению торговли людьми в двенадцати приграничных провинциях.",
			"По словам заместителя министра, преступные сети всё чаще вербуют жертв через социальные сети с помощью ложных предложений о работе, заманивая молодых людей на принудительный труд в мошеннические центры за рубежом.",
			"Программа предусматривает обучение более 2000 пограничников, полицейских и социальных работников выявлению жертв и направлению их в службы защиты.",
			"Кроме того, она финансирует приюты и профессиональное обучение, чтобы пострадавшие могли вернуться в свои общины.",
		},
	}},
}
