package newstest

import "time"

var corpusEN = []CorpusPage{
	{Topics: traffickingUN, Page: Page{
		ID: 2001, Slug: "viet-nam-un-agencies-step-up-cooperation-against-human-trafficking", Lang: "en", Section: "Society",
		Title:     "Viet Nam, UN agencies step up cooperation against human trafficking",
		Sapo:      "The Ministry of Public Security and United Nations agencies have launched a three-year programme to prevent human trafficking and support victims along Viet Nam's borders.",
		Author:    "VNA",
		Published: at(time.November, 26, 9, 0),
		Body: []string{
			"Hanoi (VNA) – The Ministry of Public Security, the United Nations Office on Drugs and Crime (UNODC) and the International Organization for Migration (IOM) on November 25 launched a three-year programme to strengthen the prevention of human trafficking in 12 border provinces.",
			"Speaking at the launch ceremony, Deputy Minister Le Quoc Hung said trafficking networks increasingly recruit victims through social media and fake job offers, luring young people into forced labour in online scam compounds abroad.",
			"The UN Resident Coordinator in Viet Nam said the programme would train more than 2,000 border guards, police officers and social workers to identify victims and refer them to protection services.",
			"According to the ministry, Vietnamese authorities handled more than 200 cases of human trafficking involving over 500 victims in the first ten months of this year, most of them women and children.",
			"The programme also funds shelters and vocational training so that survivors can return to their communities and avoid being trafficked again.",
		},
		Sidebar: []string{"Vietnamese rice exports hit record high", "Hanoi to pilot low-emission zone in 2027"},
	}},
	{Trap: "drug trafficking", Page: Page{
		ID: 2002, Slug: "police-bust-cross-border-drug-trafficking-ring-in-quang-tri", Lang: "en", Section: "Society",
		Title:     "Police bust cross-border drug trafficking ring in Quang Tri",
		Sapo:      "Police in the central province of Quang Tri have dismantled a drug trafficking ring that smuggled methamphetamine from Laos.",
		Author:    "VNA",
		Published: at(time.November, 25, 18, 10),
		Body: []string{
			"Quang Tri (VNA) – Police in the central province of Quang Tri said on November 25 that they had dismantled a drug trafficking ring, arresting six suspects and seizing 48 kilogrammes of methamphetamine and 12,000 ecstasy pills.",
			"The ring was led by a 41-year-old man from Huong Hoa district who hired local residents to carry the drugs through forest trails across the Viet Nam–Laos border.",
			"The drugs were then hidden in trucks carrying agricultural products and transported to Ho Chi Minh City for distribution, investigators said.",
			"Since the beginning of the year, Quang Tri police have uncovered 96 drug trafficking cases, a 15 percent increase compared with the same period last year.",
		},
	}},
	{Trap: "related-article boxes full of trafficking and UN headlines", Page: Page{
		ID: 2003, Slug: "viet-nams-gdp-growth-forecast-at-78-percent-in-2026", Lang: "en", Section: "Business",
		Title:     "Viet Nam's GDP growth forecast at 7.8 percent in 2026",
		Sapo:      "Viet Nam's economy is expected to grow 7.8 percent this year, driven by exports, public investment and a recovery in domestic consumption.",
		Author:    "VNA",
		Published: at(time.November, 26, 10, 30),
		Body: []string{
			"Hanoi (VNA) – Viet Nam's gross domestic product is forecast to expand by 7.8 percent in 2026, among the fastest rates in Asia, the Ministry of Finance said at a press conference on November 25.",
			"Export turnover in the first eleven months reached 438 billion USD, up 14 percent year on year, with electronics, textiles and agricultural products leading the growth.",
			"Disbursement of public investment capital has accelerated in the last quarter, with major infrastructure projects such as the North–South expressway and Long Thanh International Airport nearing completion.",
			"Retail sales of goods and services rose 9.5 percent, reflecting a recovery in household spending and a record number of international tourist arrivals.",
			"Economists nevertheless warned that global trade tensions and exchange rate volatility could weigh on growth next year.",
		},
		Related: []string{"Viet Nam, UN agencies step up cooperation against human trafficking", "Human trafficking victims rescued from scam compounds in Myanmar", "United Nations report warns of rising trafficking in persons"},
		Sidebar: []string{"Court jails six for human trafficking in An Giang", "Border guards foil human trafficking attempt in Lai Chau"},
	}},
	{Page: Page{
		ID: 2004, Slug: "viet-nam-beat-thailand-to-win-sea-games-football-gold", Lang: "en", Section: "Sports",
		Title:     "Viet Nam beat Thailand to win SEA Games football gold",
		Sapo:      "Viet Nam's U22 team defeated Thailand 2-1 in the men's football final of the 33rd SEA Games in Bangkok.",
		Author:    "VNA",
		Published: at(time.November, 25, 22, 50),
		Body: []string{
			"Bangkok (VNA) – Viet Nam's U22 football team won the gold medal at the 33rd Southeast Asian Games after a 2-1 victory over hosts Thailand at Rajamangala Stadium on November 25.",
			"Striker Nguyen Dinh Bac opened the scoring in the 23rd minute with a powerful shot from the edge of the box, before Thailand equalised from a penalty early in the second half.",
			"Midfielder Khuat Van Khang headed in the winner in the 87th minute, sending thousands of Vietnamese fans in the stadium into celebration.",
			"It is Viet Nam's third consecutive SEA Games football title. Coach Kim Sang-sik praised his players' discipline and fighting spirit.",
		},
	}},
	{Topics: un, Page: Page{
		ID: 2005, Slug: "un-general-assembly-adopts-resolution-on-climate-resilience", Lang: "en", Section: "World",
		Title:     "UN General Assembly adopts resolution on climate resilience led by Viet Nam",
		Sapo:      "The United Nations General Assembly has adopted a resolution on climate resilience in coastal areas drafted by Viet Nam and co-sponsored by more than 100 countries.",
		Author:    "VNA",
		Published: at(time.November, 25, 11, 0),
		Body: []string{
			"New York (VNA) – The United Nations General Assembly on November 24 adopted by consensus a resolution on strengthening climate resilience in low-lying coastal areas, an initiative drafted by Viet Nam.",
			"The resolution calls on member states to share early warning data, mobilise finance for adaptation and protect communities living in river deltas such as the Mekong.",
			"Ambassador Dang Hoang Giang, head of Viet Nam's permanent mission to the UN, said the adoption reflected the international community's trust in Viet Nam's role and its experience in responding to natural disasters.",
			"More than 100 countries co-sponsored the text, including small island developing states that are most exposed to rising sea levels.",
		},
	}},
}
