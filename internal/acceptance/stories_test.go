package acceptance

import (
	"time"

	"github.com/newswatch/newswatch/internal/newstest"
)

// story is an article of the acceptance site with the topics a reader
// finds in its title and body (not in the boxes of headlines around it).
type story struct {
	newstest.Page
	topics []string
	alt    bool // rendered with the alternative page template
}

var ict = time.FixedZone("ICT", 7*3600)

func day(d, h int) time.Time { return time.Date(2026, time.November, d, h, 5, 0, 0, ict) }

// unseenStories are written for these checks only, so nothing in newswatch
// was tuned on them: news in the seven languages, relevant stories whose
// key phrase is deep in the body, and traps (drug trafficking, traffic,
// the French article "un", related boxes full of trafficking headlines).
var unseenStories = []story{
	{topics: []string{"trafficking"}, alt: true, Page: newstest.Page{
		ID: 7101, Slug: "giai-cuu-bon-thieu-nu-bi-lua-ban-qua-bien-gioi", Lang: "vi", Section: "Pháp luật",
		Title:  "Giải cứu bốn thiếu nữ bị lừa bán qua biên giới",
		Sapo:   "Bộ đội Biên phòng tỉnh Lào Cai vừa phối hợp với công an địa phương giải cứu bốn thiếu nữ bị đưa sang bên kia biên giới.",
		Author: "Minh Hà", Published: day(24, 7),
		Body: []string{
			"Theo Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lào Cai, các nạn nhân đều sinh năm 2008 và 2009, quê ở huyện Bát Xát, được một người quen hứa hẹn tìm việc làm lương cao tại nhà hàng ở thành phố.",
			"Sau khi bị đưa lên xe, các em bị thu điện thoại và dẫn qua đường mòn sang bên kia biên giới, nơi một nhóm đối tượng đang chờ sẵn để giao cho người mua.",
			"Nhận được tin báo của gia đình, lực lượng chức năng đã phối hợp với cảnh sát nước bạn truy vết và đưa cả bốn em trở về an toàn sau ba ngày.",
			"Cơ quan điều tra đã khởi tố vụ án hình sự về tội mua bán người dưới 16 tuổi và bắt giữ hai đối tượng cầm đầu đường dây.",
			"Bộ đội Biên phòng khuyến cáo người dân, nhất là học sinh, cảnh giác trước những lời mời làm việc nhẹ nhàng, thu nhập cao từ người lạ hoặc qua mạng xã hội.",
		},
		Related: []string{"Triệt phá đường dây mua bán người sang Campuchia", "Nạn nhân bị mua bán trở về kể lại hành trình thoát thân"},
	}},
	{topics: []string{"un"}, Page: newstest.Page{
		ID: 7102, Slug: "viet-nam-cu-them-si-quan-tham-gia-gin-giu-hoa-binh", Lang: "vi", Section: "Thế giới",
		Title:  "Việt Nam cử thêm sĩ quan tham gia lực lượng gìn giữ hòa bình",
		Sapo:   "Thêm 12 sĩ quan Quân đội nhân dân Việt Nam lên đường làm nhiệm vụ tại Phái bộ ở Nam Sudan và Khu vực hành chính Abyei.",
		Author: "Thanh Tùng", Published: day(24, 9),
		Body: []string{
			"Sáng 23/11, tại Hà Nội, Cục Gìn giữ hòa bình Việt Nam tổ chức lễ xuất quân cho 12 sĩ quan đi làm nhiệm vụ tại các phái bộ của Liên hợp quốc ở châu Phi.",
			"Các sĩ quan sẽ đảm nhiệm vị trí sĩ quan tham mưu, sĩ quan liên lạc và quan sát viên quân sự trong thời hạn một năm.",
			"Phát biểu tại buổi lễ, Thứ trưởng Bộ Quốc phòng đề nghị các sĩ quan phát huy truyền thống Bộ đội Cụ Hồ, hoàn thành tốt nhiệm vụ được giao.",
			"Từ năm 2014 đến nay, Việt Nam đã cử hơn 1.000 lượt quân nhân tham gia hoạt động gìn giữ hòa bình, trong đó có nhiều nữ quân nhân.",
		},
	}},
	{alt: true, Page: newstest.Page{
		ID: 7103, Slug: "ket-xe-keo-dai-tren-cao-toc-sau-vu-tai-nan", Lang: "vi", Section: "Xã hội",
		Title:  "Kẹt xe kéo dài trên cao tốc sau vụ tai nạn liên hoàn",
		Sapo:   "Một vụ va chạm giữa ba xe container khiến cao tốc TP Hồ Chí Minh - Trung Lương ùn tắc hơn 10 km trong chiều 25/11.",
		Author: "Quốc Dũng", Published: day(25, 17),
		Body: []string{
			"Khoảng 14 giờ, ba xe container lưu thông cùng chiều va chạm với nhau tại km 32, khiến hai làn xe bị chặn hoàn toàn.",
			"Cảnh sát giao thông đã phân luồng cho các phương tiện ra quốc lộ 1, tuy nhiên dòng xe vẫn nhích từng chút một đến tối.",
			"Vụ tai nạn không gây thương vong về người nhưng làm hư hỏng nặng đầu kéo của hai xe.",
			"Cơ quan chức năng khuyến cáo tài xế giữ khoảng cách an toàn khi lưu thông trên cao tốc vào giờ cao điểm cuối năm.",
		},
		Related: []string{"Bắt đối tượng mua bán người qua mạng xã hội", "Cảnh báo thủ đoạn lừa bán phụ nữ sang nước ngoài", "Liên hợp quốc kêu gọi chấm dứt nạn buôn người"},
		Sidebar: []string{"Xét xử vụ án mua bán trẻ sơ sinh", "Hỗ trợ nạn nhân bị mua bán tái hòa nhập cộng đồng"},
	}},
	{topics: []string{"trafficking"}, Page: newstest.Page{
		ID: 7201, Slug: "seafood-exporters-face-new-audits", Lang: "en", Section: "Business",
		Title:  "Seafood exporters face new supply-chain audits",
		Sapo:   "European buyers will require independent audits of fishing vessels from next year, the seafood association said.",
		Author: "VNA", Published: day(24, 11),
		Body: []string{
			"Hanoi (VNA) - Vietnamese seafood exporters will have to show independent audits of the vessels that supply them if they want to keep selling to large European retailers, the national seafood association said on Tuesday.",
			"The new rules cover catch documentation, fuel use and the conditions of crews on board, and apply to tuna, squid and shrimp shipped from January.",
			"Association officials said most member companies already track their suppliers, but smaller processors may need help to meet the deadline.",
			"Buyers pressed for the audits after reports from the region described crews held at sea for years, their wages withheld and their passports confiscated, conditions that investigators classed as forced labour and human trafficking.",
			"The association plans training sessions in Khanh Hoa and Ca Mau provinces next month.",
		},
		Related: []string{"Shrimp exports rebound in the third quarter"},
	}},
	{topics: []string{"un"}, alt: true, Page: newstest.Page{
		ID: 7202, Slug: "unicef-and-who-back-measles-catch-up-drive", Lang: "en", Section: "Society",
		Title:  "UNICEF and WHO back measles catch-up drive in mountain provinces",
		Sapo:   "Half a million children who missed routine shots during recent floods will be vaccinated by the end of December.",
		Author: "VNA", Published: day(25, 8),
		Body: []string{
			"Hanoi (VNA) - The Ministry of Health, the United Nations Children's Fund and the World Health Organization launched a measles catch-up campaign on Monday in eight northern mountain provinces.",
			"Health workers will visit remote villages on foot where roads were cut by landslides in September, carrying vaccines in cold boxes supplied by UNICEF.",
			"WHO said the number of measles cases in the region had doubled compared with last year, mostly among children under five.",
			"The campaign also offers vitamin A supplements and checks for malnutrition.",
		},
		Sidebar: []string{"Police rescue trafficking victims at border checkpoint", "Court jails human trafficking ring leaders"},
	}},
	{Page: newstest.Page{
		ID: 7203, Slug: "police-seize-heroin-in-border-drug-bust", Lang: "en", Section: "Law",
		Title:  "Police seize 40 kg of heroin in border drug bust",
		Sapo:   "Two suspects were arrested in Son La province as they tried to move drugs across the border by motorbike.",
		Author: "VNA", Published: day(25, 15),
		Body: []string{
			"Son La (VNA) - Border guards and police in Son La province arrested two men transporting 40 kg of heroin and 30,000 methamphetamine pills on Monday night.",
			"The suspects told investigators they had been paid to carry the drugs from the border to a buyer in Hanoi.",
			"Police said the case was part of a wider crackdown on drug trafficking routes through the north-western mountains, where the traffic in narcotics has grown this year.",
			"Under Vietnamese law, trafficking more than 600 grams of heroin can carry the death penalty.",
		},
		Related: []string{"Human trafficking survivors get vocational training", "Anti-trafficking hotline receives record number of calls"},
	}},
	{topics: []string{"trafficking", "un"}, alt: true, Page: newstest.Page{
		ID: 7301, Slug: "unodc-yuhadhir-min-al-itjar", Lang: "ar", Section: "المجتمع",
		Title:  "مكتب الأمم المتحدة يحذر من تزايد الاتجار بالبشر عبر الإنترنت",
		Sapo:   "قال مكتب الأمم المتحدة المعني بالمخدرات والجريمة إن الشبكات الإجرامية باتت تستدرج ضحاياها بعروض عمل وهمية على وسائل التواصل الاجتماعي.",
		Author: "وكالة الأنباء الفيتنامية", Published: day(24, 13),
		Body: []string{
			"هانوي – أصدر مكتب الأمم المتحدة المعني بالمخدرات والجريمة تقريرا جديدا يفيد بأن عدد ضحايا الاتجار بالبشر الذين جرى تجنيدهم عبر الإنترنت تضاعف خلال ثلاث سنوات.",
			"وأوضح التقرير أن كثيرا من الضحايا شبان يبحثون عن عمل، يُنقلون إلى مجمعات احتيال في دول مجاورة حيث يُجبرون على العمل ساعات طويلة.",
			"ودعا المكتب الحكومات في جنوب شرق آسيا إلى تعزيز التعاون في تبادل المعلومات وحماية الناجين وعدم معاقبتهم على جرائم أُجبروا على ارتكابها.",
			"وأشاد التقرير بالخط الساخن الذي أطلقته فيتنام لتلقي البلاغات، والذي ساعد في إعادة مئات الأشخاص إلى أسرهم.",
		},
	}},
	{Page: newstest.Page{
		ID: 7302, Slug: "sadirat-al-qahwa-tartafi", Lang: "ar", Section: "الاقتصاد",
		Title:  "صادرات القهوة الفيتنامية ترتفع إلى مستوى قياسي",
		Sapo:   "حققت صادرات القهوة أعلى قيمة لها على الإطلاق بفضل ارتفاع الأسعار العالمية.",
		Author: "وكالة الأنباء الفيتنامية", Published: day(25, 10),
		Body: []string{
			"هانوي – بلغت قيمة صادرات فيتنام من القهوة خلال الأشهر الأحد عشر الأولى من العام نحو خمسة مليارات دولار، بزيادة أربعين في المئة عن العام الماضي.",
			"وعزا خبراء الزيادة إلى تراجع المحصول في البرازيل وارتفاع الطلب في أوروبا واليابان.",
			"وتعد ألمانيا وإيطاليا وإسبانيا أكبر المستوردين للقهوة الفيتنامية، فيما يتزايد الإقبال في أسواق الشرق الأوسط.",
			"ويتوقع المزارعون في المرتفعات الوسطى موسما جيدا هذا العام رغم الأمطار الغزيرة.",
		},
		Related: []string{"تفكيك شبكة للاتجار بالبشر على الحدود", "إنقاذ ضحايا الاتجار بالبشر في ميانمار"},
		Sidebar: []string{"الأمم المتحدة تدعو إلى حماية ضحايا الاتجار بالبشر"},
	}},
	{topics: []string{"un"}, Page: newstest.Page{
		ID: 7401, Slug: "l-onu-salue-les-progres-du-vietnam", Lang: "fr", Section: "Monde",
		Title:  "L'ONU salue les progrès du Vietnam dans la réduction de la pauvreté",
		Sapo:   "Le coordinateur résident des Nations unies a présenté un rapport sur les objectifs de développement durable.",
		Author: "VNA", Published: day(24, 15),
		Body: []string{
			"Hanoï (VNA) – Le coordinateur résident des Nations unies au Vietnam a présenté mardi un rapport qui salue un recul rapide de la pauvreté multidimensionnelle dans le pays.",
			"Selon le document, le taux de pauvreté est passé sous la barre des 3 % cette année, un résultat obtenu grâce à des investissements dans les routes rurales, l'eau potable et l'éducation.",
			"Le rapport recommande toutefois un effort particulier en faveur des minorités ethniques des provinces montagneuses.",
			"Le PNUD et l'UNICEF ont annoncé un nouveau programme conjoint pour la période 2027-2030.",
		},
	}},
	{alt: true, Page: newstest.Page{
		ID: 7402, Slug: "un-nouveau-pont-ouvre-a-hai-phong", Lang: "fr", Section: "Société",
		Title:  "Un nouveau pont ouvre à la circulation à Hai Phong",
		Sapo:   "Un ouvrage de 1,2 km doit désengorger le trafic routier entre le port et le centre-ville.",
		Author: "VNA", Published: day(25, 9),
		Body: []string{
			"Hai Phong (VNA) – Un nouveau pont à haubans a été ouvert à la circulation mercredi, un an plus tôt que prévu.",
			"L'ouvrage doit réduire le trafic de camions dans le centre, un problème qui empoisonne la vie des habitants depuis des années.",
			"Un troisième pont est prévu d'ici 2030 pour accompagner la croissance du port, l'un des plus actifs du pays.",
			"Les autorités ont organisé un concert et un feu d'artifice pour l'inauguration.",
		},
		Related: []string{"Démantèlement d'un réseau de traite des êtres humains", "L'ONU appelle à protéger les victimes de la traite"},
	}},
	{topics: []string{"trafficking"}, Page: newstest.Page{
		ID: 7501, Slug: "rescatan-a-mujeres-victimas-de-trata", Lang: "es", Section: "Sociedad",
		Title:  "Rescatan a once mujeres víctimas de una red de trata",
		Sapo:   "La policía vietnamita desarticuló una red que ofrecía falsos empleos en el extranjero.",
		Author: "VNA", Published: day(24, 16),
		Body: []string{
			"Hanói (VNA) – La policía de la provincia de Nghe An rescató a once mujeres que habían sido captadas con ofertas de trabajo en restaurantes de un país vecino.",
			"Según los investigadores, la red cobraba a las víctimas una supuesta deuda por el viaje y las obligaba a trabajar sin salario.",
			"Tres personas fueron detenidas y acusadas del delito de trata de personas, que en Vietnam se castiga con hasta veinte años de prisión.",
			"Las mujeres reciben atención médica y psicológica en un centro de acogida antes de regresar con sus familias.",
		},
	}},
	{topics: []string{"un"}, alt: true, Page: newstest.Page{
		ID: 7502, Slug: "vietnam-y-naciones-unidas-firman-plan", Lang: "es", Section: "Mundo",
		Title:  "Vietnam y Naciones Unidas firman un plan de cooperación sobre el clima",
		Sapo:   "El acuerdo apoya la adaptación al cambio climático en el delta del Mekong.",
		Author: "VNA", Published: day(25, 11),
		Body: []string{
			"Hanói (VNA) – El Gobierno vietnamita y el sistema de las Naciones Unidas firmaron un marco de cooperación para la adaptación al cambio climático en el delta del Mekong.",
			"El plan incluye sistemas de alerta temprana contra la salinización y apoyo a los agricultores que cambian el arroz por cultivos más resistentes.",
			"El Programa de las Naciones Unidas para el Desarrollo aportará asistencia técnica y ayudará a movilizar financiación internacional.",
			"Las autoridades locales esperan beneficiar a más de un millón de hogares.",
		},
	}},
	{topics: []string{"trafficking"}, Page: newstest.Page{
		ID: 7601, Slug: "yunnan-jiejiu-bei-guai-funv", Lang: "zh", Section: "社会",
		Title:  "越中两国警方联合解救七名被拐妇女",
		Sapo:   "越南和中国警方近日开展联合行动，解救七名被拐卖的越南妇女。",
		Author: "越通社", Published: day(24, 18),
		Body: []string{
			"据越南公安部消息，越中两国警方在边境地区开展联合行动，成功解救七名被拐卖的越南妇女，并抓获五名犯罪嫌疑人。",
			"这些妇女大多来自越南北部山区省份，被以介绍工作为名骗至边境，随后被卖给他人。",
			"越南公安部表示，将继续加强与邻国的执法合作，严厉打击跨境拐卖妇女儿童犯罪。",
			"获救妇女已被送回越南，并接受医疗和心理援助。",
		},
		Related: []string{"越南股市连续三日上涨"},
	}},
	{topics: []string{"un"}, alt: true, Page: newstest.Page{
		ID: 7602, Slug: "lianheguo-fuzeren-fangwen-yuenan", Lang: "zh", Section: "国际",
		Title:  "联合国开发计划署负责人访问越南",
		Sapo:   "联合国开发计划署署长与越南政府领导人讨论绿色转型合作。",
		Author: "越通社", Published: day(25, 12),
		Body: []string{
			"联合国开发计划署署长于11月24日抵达河内，开始对越南进行为期三天的访问。",
			"访问期间，双方讨论了能源转型、数字化转型以及应对气候变化等领域的合作。",
			"越南政府总理高度评价联合国各机构对越南社会经济发展的长期支持。",
			"该署长还将前往湄公河三角洲，考察当地的适应气候变化项目。",
		},
		Sidebar: []string{"警方破获特大拐卖妇女案", "打拐行动解救多名儿童"},
	}},
	{topics: []string{"trafficking"}, Page: newstest.Page{
		ID: 7701, Slug: "vo-vetname-osudili-torgovtsev-lyudmi", Lang: "ru", Section: "Общество",
		Title:  "Во Вьетнаме осудили группу торговцев людьми",
		Sapo:   "Суд провинции Хатинь приговорил шестерых обвиняемых к срокам от 8 до 18 лет лишения свободы.",
		Author: "VNA", Published: day(24, 20),
		Body: []string{
			"Ханой (VNA) – Народный суд провинции Хатинь признал шестерых человек виновными в торговле людьми и организации незаконного выезда за границу.",
			"По данным следствия, группа переправила более тридцати человек в соседние страны, где их заставляли работать в мошеннических колл-центрах.",
			"Пострадавшие рассказали суду, что у них отбирали паспорта и телефоны, а за попытку бегства избивали.",
			"Суд также обязал осуждённых выплатить компенсацию жертвам.",
		},
	}},
	{topics: []string{"un"}, alt: true, Page: newstest.Page{
		ID: 7702, Slug: "vetnam-izbran-v-sovet-oon", Lang: "ru", Section: "Мир",
		Title:  "Вьетнам избран в Совет ООН по правам человека",
		Sapo:   "Генеральная Ассамблея ООН избрала Вьетнам членом Совета по правам человека на 2026–2028 годы.",
		Author: "VNA", Published: day(25, 14),
		Body: []string{
			"Нью-Йорк (VNA) – Вьетнам получил 180 голосов на выборах в Совет по правам человека, состоявшихся на сессии Генеральной Ассамблеи в Нью-Йорке.",
			"Постоянный представитель Вьетнама при Организации Объединённых Наций поблагодарил государства-члены за поддержку.",
			"Вьетнам уже был членом Совета в 2014–2016 и 2023–2025 годах.",
			"В качестве приоритетов страна назвала права женщин и детей, борьбу с бедностью и адаптацию к изменению климата.",
		},
	}},
}
